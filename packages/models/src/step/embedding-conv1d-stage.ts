// An Embedding followed by a Conv1D, run as one stage. Output step t of sequence b is
//   z[b, t] = bias + Σ_k E[ids[b, t + k]] · W[k],
// and E[v] · W[k] depends only on the token and the tap. So when a batch uses fewer distinct
// tokens than it has output steps, the products are taken once per token ("table" form):
//   P = E[used] · [W[0] … W[taps-1]]         (used × taps·filters)
//   z[b, t] = bias + Σ_k P[ids[b, t + k], k]  (a sum of looked-up rows)
// and backward the gradient is first summed per token and tap, H[v, k] = Σ dz[b, t] over the
// positions with ids[b, t + k] = v, so that
//   dW[k] = E[used]ᵀ · H[:, k]   and   dE[used] = H · [W[0] … W[taps-1]]ᵀ.
// An IMDB batch (128 × 500 tokens) has 63,232 output steps and at most 10,000 distinct words,
// so the three products shrink at least sixfold. The sums run in @seqlearn/backend
// (sumTokenTapProducts, tokenTapGradients); they are the same float32 sums in another order,
// so results agree with tfjs's to rounding.
// Otherwise ("direct" form) the looked-up vectors are convolved as Conv1D does.

import type { tf } from '../tf.js';
import {
  gatherTableRows,
  releaseTokenTapFrame,
  sumTokenTapProducts,
  tokenTapGradients,
  type TokenTapFrame,
  type TokenTapPrologue,
} from '@seqlearn/backend/ops';
import { addRowsInto } from './embedding-rows.js';
import { activate, activationGradient, type ActivationName } from './activation.js';
import {
  convolve,
  convolveInputGradient,
  convolveKernelGradient,
  outputSteps,
  spreadOutputGradient,
  type Conv1dShape,
} from './conv1d-products.js';
import { columnSums, fillRows } from './weighted-stage.js';
import { requireTokenIds } from './token-ids.js';
import { requireShape, reuse, valuesOf, type Activation, type Stage, type VariableGradient } from './stage.js';

export type EmbeddingConvPath = 'auto' | 'table' | 'direct';

/** The distinct ids of a batch, and each position's index among them. */
interface UsedTokens {
  tokens: Int32Array;
  slots: Int32Array;
}

export class EmbeddingConv1dStage implements Stage {
  private ids: Int32Array = new Int32Array(0);
  private shape: Conv1dShape | undefined;
  private out: Float32Array = new Float32Array(0);
  private used: UsedTokens | undefined;
  /** Table form: the used rows of E and the kernel as `[channels, taps·filters]`. */
  /** The batch's rows, slots and outputs, which the table form's forward pass leaves in the WebAssembly module for its backward pass. */
  private frame: TokenTapFrame | null = null;
  private wideKernel: Float32Array = new Float32Array(0);
  /** Direct form: the looked-up vectors. */
  private vectors: Float32Array = new Float32Array(0);
  private slotOf: Int32Array | undefined;
  private tableGrad: Float32Array | undefined;
  private outBuffer: Float32Array | undefined;
  private kernelGrad: Float32Array | undefined;
  private biasGrad: Float32Array | undefined;

  constructor(
    private readonly table: tf.Variable,
    private readonly tableTrainable: boolean,
    private readonly kernel: tf.Variable,
    private readonly bias: tf.Variable | null,
    private readonly activation: ActivationName,
    private readonly convTrainable: boolean,
    private readonly path: EmbeddingConvPath,
    /** Whether a backward pass follows each forward pass (a training step, not a forward-only pass). */
    private readonly training = true,
  ) {}

  forward(input: Activation): Activation {
    const [vocabulary, channels] = this.table.shape;
    const [taps, , filters] = this.kernel.shape;
    requireShape('Embedding', input, [null]);
    const [batch, steps] = input.shape;
    const ids = requireTokenIds(input.values, vocabulary);
    const shape: Conv1dShape = { batch, steps, channels, taps, filters };
    const outSteps = outputSteps(shape);
    const size = batch * outSteps * filters;
    if (this.outBuffer?.length !== size) this.outBuffer = new Float32Array(size);
    const out = this.outBuffer;
    const bias = this.bias === null ? null : valuesOf(this.bias);
    // The distinct tokens are only counted when the table form may run.
    const used = this.path === 'direct' ? undefined : this.usedTokens(ids, vocabulary);
    const table = valuesOf(this.table);
    // A step that failed between the passes left its frame behind.
    if (this.frame !== null) releaseTokenTapFrame(this.frame);
    this.frame = null;
    if (used !== undefined && (this.path === 'table' || used.tokens.length < batch * outSteps)) {
      this.used = used;
      const rows = { table, tokens: used.tokens };
      this.wideKernel = widen(valuesOf(this.kernel), taps, channels, filters);
      if (this.fusedActivation()) {
        // The bias and Relu go in the pass that sums each sequence's outputs.
        this.frame = sumTokenTapProducts(
          shape,
          used.slots,
          rows,
          this.wideKernel,
          out,
          { bias, relu: this.activation === 'relu' },
          this.training,
        );
      } else {
        fillRows(out.fill(0), bias);
        this.frame = sumTokenTapProducts(shape, used.slots, rows, this.wideKernel, out, undefined, this.training);
        activate(this.activation, out);
      }
    } else {
      this.used = undefined;
      this.vectors = gatherTableRows(table, ids, channels);
      fillRows(out.fill(0), bias);
      convolve(shape, this.vectors, valuesOf(this.kernel), out);
      activate(this.activation, out);
    }
    this.ids = ids;
    this.shape = shape;
    this.out = out;
    return { values: out, shape: [batch, outSteps, filters] };
  }

  backward(dOutput: Float32Array): Float32Array | null {
    const s = this.shape as Conv1dShape;
    const withBias = this.convTrainable && this.bias !== null;
    if (this.convTrainable) this.kernelGrad = reuse(this.kernelGrad, this.kernel.size);
    if (this.tableTrainable) this.tableGrad = reuse(this.tableGrad, this.table.size);
    if (this.used !== undefined && this.fusedActivation()) {
      // Relu's gradient and the bias's go in the backward pass's first loop over dz.
      if (withBias) this.biasGrad = reuse(this.biasGrad, s.filters);
      const prologue = {
        activations: this.activation === 'relu' ? this.out : null,
        biasGrad: withBias ? (this.biasGrad as Float32Array) : null,
      };
      this.tableBackward(s, this.used, dOutput, prologue);
      return null;
    }
    activationGradient(this.activation, this.out, dOutput);
    if (withBias) this.biasGrad = columnSums(dOutput, dOutput.length / s.filters, s.filters, this.biasGrad);
    if (this.used !== undefined) this.tableBackward(s, this.used, dOutput);
    else this.directBackward(s, dOutput);
    return null;
  }

  /** Whether the activation goes in the table form's own passes (Relu or none). */
  private fusedActivation(): boolean {
    return this.activation === 'relu' || this.activation === 'linear';
  }

  private tableBackward(s: Conv1dShape, used: UsedTokens, dz: Float32Array, prologue?: TokenTapPrologue): void {
    const wideGrad = this.kernelGrad === undefined ? null : new Float32Array(s.channels * s.taps * s.filters);
    const frame = this.frame;
    this.frame = null;
    // Given the table and the tokens, the rows' gradients go straight onto the table's (zeroed) gradient.
    const rows = { table: valuesOf(this.table), tokens: used.tokens };
    tokenTapGradients(s, used.slots, dz, rows, this.wideKernel, wideGrad, this.tableGrad ?? null, prologue, frame);
    if (wideGrad !== null) narrowInto(wideGrad, s.taps, s.channels, s.filters, this.kernelGrad as Float32Array);
  }

  private directBackward(s: Conv1dShape, dz: Float32Array): void {
    const spread = spreadOutputGradient(s, dz);
    if (this.kernelGrad !== undefined) convolveKernelGradient(s, this.vectors, spread, this.kernelGrad);
    if (this.tableGrad === undefined) return;
    addRowsInto(this.tableGrad, this.ids, convolveInputGradient(s, spread, valuesOf(this.kernel)), s.channels);
  }

  private usedTokens(ids: Int32Array, vocabulary: number): UsedTokens {
    if (this.slotOf === undefined || this.slotOf.length !== vocabulary) this.slotOf = new Int32Array(vocabulary).fill(-1);
    const slotOf = this.slotOf;
    const slots = new Int32Array(ids.length);
    const order: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      let slot = slotOf[ids[i]];
      if (slot < 0) {
        slot = slotOf[ids[i]] = order.length;
        order.push(ids[i]);
      }
      slots[i] = slot;
    }
    const tokens = Int32Array.from(order);
    for (const v of order) slotOf[v] = -1;
    return { tokens, slots };
  }

  gradients(): VariableGradient[] {
    const grads: VariableGradient[] = [];
    if (this.tableGrad !== undefined) grads.push({ variable: this.table, values: this.tableGrad });
    if (this.kernelGrad !== undefined) grads.push({ variable: this.kernel, values: this.kernelGrad });
    if (this.biasGrad !== undefined && this.bias !== null) grads.push({ variable: this.bias, values: this.biasGrad });
    return grads;
  }
}

/** `[taps, channels, filters]` → `[channels, taps·filters]`: every tap's matrix side by side. */
function widen(kernel: Float32Array, taps: number, channels: number, filters: number): Float32Array {
  const wide = new Float32Array(kernel.length);
  for (let k = 0; k < taps; k++) {
    for (let c = 0; c < channels; c++)
      wide.set(kernel.subarray((k * channels + c) * filters, (k * channels + c + 1) * filters), (c * taps + k) * filters);
  }
  return wide;
}

/** Adds a `[channels, taps·filters]` gradient into the kernel's `[taps, channels, filters]` layout. */
function narrowInto(wide: Float32Array, taps: number, channels: number, filters: number, grad: Float32Array): void {
  for (let k = 0; k < taps; k++) {
    for (let c = 0; c < channels; c++) {
      const from = (c * taps + k) * filters;
      const to = (k * channels + c) * filters;
      for (let f = 0; f < filters; f++) grad[to + f] += wide[from + f];
    }
  }
}
