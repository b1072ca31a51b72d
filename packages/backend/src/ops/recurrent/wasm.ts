// Whole-sequence SimpleRNN, LSTM and GRU passes in the WebAssembly module (asm/recurrent.ts),
// the WebAssembly path beside the JavaScript one (js.ts). Operands are copied into the module's
// memory; when gradients are being recorded, the forward pass keeps its input and states
// there for the backward pass (an LSTM's are tens of megabytes a batch, so copying them out
// and back in would cost more than some of the arithmetic). A batch of 8 or more sequences
// splits in two parts, one for each thread (wasm-threads.ts): each part has its own states and
// weight-gradient sums, and the outputs are assembled from the parts.
//
// Layouts as in types.ts (js.ts has the same math): `recurrentForward` takes x [B, T, D] with
// input dropout already applied, and recurrentMask [B, U] already scaled.

import { wasmArena, wasmKernels, type WasmArena, type WasmFrame, type WasmKernels } from '../../kernels/wasm-kernels.js';
import { inParallel, wasmThreads, type KernelCall } from '../../kernels/wasm-threads.js';
import {
  batchMajorSteps,
  biasSize,
  gateCount,
  swapLeadingAxes,
  type RecurrentCell,
  type SequenceProblem,
  type SequenceResult,
  type SequenceWeights,
} from './types.js';

export interface RecurrentShape {
  cell: RecurrentCell;
  batch: number;
  steps: number;
  inputDim: number;
  units: number;
  /** Process the steps from the last to the first. */
  goBackwards: boolean;
  /** Activation codes: 0 tanh, 1 sigmoid, 2 hardSigmoid, 3 relu, 4 linear. */
  activation: number;
  recurrentActivation: number;
  /** GRU only: reset gate after the recurrent product, bias [2·3U] (types.ts). Default false. */
  resetAfter?: boolean;
}

export interface RecurrentWeights {
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array | null;
  recurrentMask: Float32Array | null;
  /** [B, T], 0 at a masked (padding) step; null or absent for none. */
  stepMask?: Uint8Array | null;
}

export interface RecurrentPassOptions {
  /** Keep the states in the module's memory for `backward` (when gradients are recorded). */
  forBackward: boolean;
  /** Also return h after every step (for returnSequences). */
  allSteps: boolean;
}

/** A forward pass: its outputs, and the backward pass over the states it kept. */
export interface RecurrentPass {
  /** h after the last step, [B, U]. */
  last: Float32Array;
  /** h after every step, time-major [T, B, U]; null unless asked for. */
  steps: Float32Array | null;
  /**
   * Backpropagation through time, once. `dy` is the upstream gradient of the outputs:
   * time-major [T, B, U] when `dySequences`, else [B, U] for the last step only.
   */
  backward(dy: Float32Array, dySequences: boolean): RecurrentGradients;
}

export interface RecurrentGradients {
  /** [B, T, D], before the input mask. */
  x: Float32Array;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
}

/** True when this shape runs in WebAssembly: the module is built and units split into vectors. */
export function wasmRecurrentSupports(units: number): boolean {
  return wasmKernels() !== null && units % 4 === 0;
}

function module(): { kernels: WasmKernels; arena: WasmArena } {
  const kernels = wasmKernels();
  if (kernels === null || wasmArena === null)
    throw new Error('the WebAssembly kernels are not built (run `pnpm build`) or are switched off');
  return { kernels, arena: wasmArena.start() };
}

/** Scratch for any pass of any cell over `rows` sequences (the backward passes need the most). */
function scratchFloats(s: RecurrentShape, rows: number): number {
  const G = gateCount(s.cell) * s.units;
  const BU = rows * s.units;
  return 6 * BU + 2 * rows * G + G * s.inputDim + G * s.units + 4 * G + 64;
}

function resetAfterGru(s: RecurrentShape): boolean {
  return s.cell === 'gru' && s.resetAfter === true;
}

/** The gates kept per step and row: a resetAfter GRU also keeps the candidate's recurrent part. */
function keptGateFloats(s: RecurrentShape): number {
  return (gateCount(s.cell) + (resetAfterGru(s) ? 1 : 0)) * s.units;
}

/** A part's rows of the step mask [B, T], as the floats the module reads; 0 (none) without one. */
function putStepMask(arena: WasmArena, m: Uint8Array | null | undefined, b0: number, rows: number, T: number): number {
  if (m == null) return 0;
  const part = new Float32Array(rows * T);
  for (let i = 0; i < part.length; i++) part[i] = m[b0 * T + i] === 0 ? 0 : 1;
  return arena.put(part);
}

/** Kept states whose backward pass never ran go back when their pass is collected. */
const unclaimed = new FinalizationRegistry<WasmFrame>((frame) => wasmArena?.drop(frame));

/**
 * Sequences are independent, so a batch splits into two halves, one a thread. Below this many
 * sequences the hand-over costs more than the second thread saves.
 */
const MIN_ROWS_TO_SPLIT = 8;

/** One half of the batch (or all of it): its first row, its row count, and its states. */
interface Part {
  b0: number;
  rows: number;
  /** byte addresses in the module's memory (0 = none) */
  x: number;
  hs: number;
  cs: number;
  gates: number;
}

function partition(B: number): Array<{ b0: number; rows: number }> {
  if (wasmThreads() < 2 || B < MIN_ROWS_TO_SPLIT) return [{ b0: 0, rows: B }];
  const half = B >> 1;
  return [
    { b0: 0, rows: half },
    { b0: half, rows: B - half },
  ];
}

export function recurrentForward(s: RecurrentShape, x: Float32Array, w: RecurrentWeights, options: RecurrentPassOptions): RecurrentPass {
  const { kernels, arena } = module();
  const { batch: B, steps: T, inputDim: D, units: U } = s;
  const back = s.goBackwards ? 1 : 0;
  // What the backward pass reads comes first, so that it can be kept as one frame.
  const from = arena.mark();
  const parts: Part[] = partition(B).map(({ b0, rows }) => ({
    b0,
    rows,
    x: arena.put(x.subarray(b0 * T * D, (b0 + rows) * T * D)),
    hs: stateSequence(arena, T, rows * U),
    cs: s.cell === 'lstm' ? stateSequence(arena, T, rows * U) : 0,
    gates: s.cell === 'simpleRnn' ? 0 : arena.alloc(T * rows * keptGateFloats(s)),
  }));
  const frame = options.forBackward ? arena.keep(from) : null;
  const wAt = arena.put(w.kernel);
  const rAt = arena.put(w.recurrentKernel);
  const bAt = w.bias === null ? 0 : arena.put(w.bias);
  const calls = parts.map((p): KernelCall => {
    const mAt = w.recurrentMask === null ? 0 : arena.put(w.recurrentMask.subarray(p.b0 * U, (p.b0 + p.rows) * U));
    const smAt = putStepMask(arena, w.stepMask, p.b0, p.rows, T);
    const scratch = arena.alloc(scratchFloats(s, p.rows));
    const head = [p.rows, T, D, U, back, p.x, wAt, rAt, bAt, mAt, smAt];
    if (s.cell === 'simpleRnn') return { name: 'simpleRnnForward', args: [...head, s.activation, p.hs, scratch] };
    if (s.cell === 'lstm')
      return { name: 'lstmForward', args: [...head, s.activation, s.recurrentActivation, p.gates, p.hs, p.cs, scratch] };
    const name = resetAfterGru(s) ? 'gruResetAfterForward' : 'gruForward';
    return { name, args: [...head, s.activation, s.recurrentActivation, p.gates, p.hs, scratch] };
  });
  try {
    inParallel(kernels, calls.slice(0, -1), calls.slice(-1));
  } catch (error) {
    if (frame !== null) arena.drop(frame);
    throw error;
  }
  const pass: RecurrentPass = {
    last: assemble(arena, parts, B * U, (p) => ({ at: p.hs + T * p.rows * U * 4, to: p.b0 * U, floats: p.rows * U })),
    steps: options.allSteps ? timeMajor(arena, parts, T, B, U, (p) => p.hs + p.rows * U * 4) : null,
    backward(dy, dySequences) {
      if (frame === null || !frame.live) {
        throw new Error('RecurrentPass.backward: this forward pass kept no states (forBackward false, or backward already ran)');
      }
      // The states are in the module's memory, so this runs there even if switched off since.
      const gradients = backward(kernels, s, w, parts, dy, dySequences);
      unclaimed.unregister(pass);
      wasmArena?.drop(frame);
      return gradients;
    },
  };
  if (frame !== null) unclaimed.register(pass, frame, pass);
  return pass;
}

/**
 * Room for a state before every step and after the last, [(T+1), rows·U], with the initial
 * state zeroed: the pass writes every later one (zeroing all of it cost an LSTM batch 16 MB
 * of stores).
 */
function stateSequence(arena: WasmArena, T: number, block: number): number {
  const at = arena.alloc((T + 1) * block);
  arena.floats().fill(0, at / 4, at / 4 + block);
  return at;
}

/** One output of `size` floats assembled from a block of each part's (copied out of the module's memory). */
function assemble<P>(
  arena: WasmArena,
  parts: P[],
  size: number,
  block: (p: P) => { at: number; to: number; floats: number },
): Float32Array {
  if (parts.length === 1) {
    const { at, floats } = block(parts[0]);
    return arena.take(at, floats);
  }
  const out = new Float32Array(size);
  const memory = arena.floats();
  for (const p of parts) {
    const { at, to, floats } = block(p);
    out.set(memory.subarray(at / 4, at / 4 + floats), to);
  }
  return out;
}

/** A time-major [T, B, U] output from the parts' own [T, rows, U] blocks starting at `first`. */
function timeMajor(arena: WasmArena, parts: Part[], T: number, B: number, U: number, first: (p: Part) => number): Float32Array {
  if (parts.length === 1) return arena.take(first(parts[0]), T * B * U);
  const out = new Float32Array(T * B * U);
  const memory = arena.floats();
  for (const p of parts) {
    const start = first(p) / 4;
    const block = p.rows * U;
    for (let t = 0; t < T; t++) out.set(memory.subarray(start + t * block, start + (t + 1) * block), t * B * U + p.b0 * U);
  }
  return out;
}

/** A part's rows of the upstream gradient: [rows, U], or time-major [T, rows, U]. */
function partOfDy(dy: Float32Array, p: Part, parts: number, T: number, B: number, U: number, dySequences: boolean): Float32Array {
  if (parts === 1) return dy;
  if (!dySequences) return dy.subarray(p.b0 * U, (p.b0 + p.rows) * U);
  const out = new Float32Array(T * p.rows * U);
  for (let t = 0; t < T; t++) out.set(dy.subarray(t * B * U + p.b0 * U, t * B * U + (p.b0 + p.rows) * U), t * p.rows * U);
  return out;
}

function backward(
  kernels: WasmKernels,
  s: RecurrentShape,
  w: RecurrentWeights,
  parts: Part[],
  dy: Float32Array,
  dySequences: boolean,
): RecurrentGradients {
  const arena = (wasmArena as WasmArena).start();
  const { batch: B, steps: T, inputDim: D, units: U } = s;
  const back = s.goBackwards ? 1 : 0;
  const G = gateCount(s.cell) * U;
  const wAt = arena.put(w.kernel);
  const rAt = arena.put(w.recurrentKernel);
  const seq = dySequences ? 1 : 0;
  // Each part sums its own weight gradients; they are added up below.
  const nb = biasSize(s.cell, U, s.resetAfter);
  const outs = parts.map((p) => ({
    p,
    dx: arena.alloc(T * p.rows * D, true),
    dw: arena.alloc(D * G, true),
    dr: arena.alloc(U * G, true),
    db: arena.alloc(nb),
  }));
  const calls = outs.map(({ p, dx, dw, dr, db }): KernelCall => {
    const mAt = w.recurrentMask === null ? 0 : arena.put(w.recurrentMask.subarray(p.b0 * U, (p.b0 + p.rows) * U));
    const smAt = putStepMask(arena, w.stepMask, p.b0, p.rows, T);
    const dyAt = arena.put(partOfDy(dy, p, parts.length, T, B, U, dySequences));
    const scratch = arena.alloc(scratchFloats(s, p.rows));
    const head = [p.rows, T, D, U, back, p.x, wAt, rAt, mAt, smAt, s.activation];
    if (s.cell === 'simpleRnn') return { name: 'simpleRnnBackward', args: [...head, p.hs, dyAt, seq, dx, dw, dr, db, scratch] };
    if (s.cell === 'lstm') {
      return { name: 'lstmBackward', args: [...head, s.recurrentActivation, p.gates, p.hs, p.cs, dyAt, seq, dx, dw, dr, db, scratch] };
    }
    const name = resetAfterGru(s) ? 'gruResetAfterBackward' : 'gruBackward';
    return { name, args: [...head, s.recurrentActivation, p.gates, p.hs, dyAt, seq, dx, dw, dr, db, scratch] };
  });
  inParallel(kernels, calls.slice(0, -1), calls.slice(-1));
  return {
    x: assemble(arena, outs, B * T * D, ({ p, dx }) => ({ at: dx, to: p.b0 * T * D, floats: p.rows * T * D })),
    kernel: arena.takeSum(
      outs.map((o) => o.dw),
      D * G,
    ),
    recurrentKernel: arena.takeSum(
      outs.map((o) => o.dr),
      U * G,
    ),
    bias: arena.takeSum(
      outs.map((o) => o.db),
      nb,
    ),
  };
}

/** x [B,T,D] times the input mask [B,D] (every step alike); x itself when there is none. */
function maskedInputs(p: SequenceProblem, x: Float32Array): Float32Array {
  const m = p.inputMask;
  if (m === null) return x;
  const { batch: B, steps: T, inputDim: D } = p;
  const out = new Float32Array(x.length);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const o = (b * T + t) * D;
      for (let d = 0; d < D; d++) out[o + d] = x[o + d] * m[b * D + d];
    }
  }
  return out;
}

/** The part of a sequence problem the WebAssembly passes take. */
export function recurrentShape(p: SequenceProblem): RecurrentShape {
  return {
    cell: p.cell,
    batch: p.batch,
    steps: p.steps,
    inputDim: p.inputDim,
    units: p.units,
    goBackwards: p.goBackwards,
    activation: p.activation,
    recurrentActivation: p.recurrentActivation,
    resetAfter: p.resetAfter,
  };
}

/**
 * A whole-sequence problem on the WebAssembly path. Without `forBackward` the pass keeps no
 * states and `backward` throws.
 */
export function wasmSequence(p: SequenceProblem, x: Float32Array, w: SequenceWeights, forBackward: boolean): SequenceResult {
  const pass = recurrentForward(
    recurrentShape(p),
    maskedInputs(p, x),
    { ...w, recurrentMask: p.recurrentMask, stepMask: p.stepMask },
    {
      forBackward,
      allSteps: p.returnSequences,
    },
  );
  return {
    output: p.returnSequences ? batchMajorSteps(p, pass.steps as Float32Array) : pass.last,
    backward(dy) {
      // The upstream gradient of every step's output, [B,T,U] → time-major [T,B,U].
      const upstream = p.returnSequences ? swapLeadingAxes(dy, p.batch, p.steps, p.units) : dy;
      const g = pass.backward(upstream, p.returnSequences);
      // d(x ⊙ m)/dx is m, the same product again.
      return { x: maskedInputs(p, g.x), kernel: g.kernel, recurrentKernel: g.recurrentKernel, bias: w.bias === null ? null : g.bias };
    },
  };
}

/**
 * h after the last step of a sequence whose input products are looked up per token: tokens
 * [B, T] index `projected` [V, gates·U] (each row a token's input product plus the input bias;
 * a resetAfter GRU's recurrent bias comes from `bias`, its whole [2, 3U] bias). Inference only:
 * no step is kept, and the batch splits over the threads as `recurrentForward`'s does.
 */
export function lastFromTokens(
  s: RecurrentShape,
  tokens: Int32Array,
  projected: Float32Array,
  recurrentKernel: Float32Array,
  bias: Float32Array | null,
  stepMask: Uint8Array | null,
): Float32Array {
  const { kernels, arena } = module();
  const { batch: B, steps: T, units: U } = s;
  const back = s.goBackwards ? 1 : 0;
  const tableAt = arena.put(projected);
  const rAt = arena.put(recurrentKernel);
  const bAt = bias === null ? 0 : arena.put(bias);
  const parts = partition(B).map(({ b0, rows }) => ({
    b0,
    rows,
    tokens: arena.putInt32(tokens.subarray(b0 * T, (b0 + rows) * T)),
    hs: arena.alloc(2 * rows * U, true),
    cs: s.cell === 'lstm' ? arena.alloc(2 * rows * U, true) : 0,
    gates: s.cell === 'simpleRnn' ? 0 : arena.alloc(rows * keptGateFloats(s)),
    steps: putStepMask(arena, stepMask, b0, rows, T),
    scratch: arena.alloc(scratchFloats(s, rows)),
  }));
  const calls = parts.map((p): KernelCall => {
    const head = [p.rows, T, U, back, p.tokens, tableAt, rAt];
    if (s.cell === 'simpleRnn') return { name: 'simpleRnnForwardTokens', args: [...head, p.steps, s.activation, p.hs, p.scratch] };
    if (s.cell === 'lstm') {
      return { name: 'lstmForwardTokens', args: [...head, p.steps, s.activation, s.recurrentActivation, p.gates, p.hs, p.cs] };
    }
    if (resetAfterGru(s)) {
      return {
        name: 'gruResetAfterForwardTokens',
        args: [...head, bAt, p.steps, s.activation, s.recurrentActivation, p.gates, p.hs, p.scratch],
      };
    }
    return { name: 'gruForwardTokens', args: [...head, p.steps, s.activation, s.recurrentActivation, p.gates, p.hs, p.scratch] };
  });
  inParallel(kernels, calls.slice(0, -1), calls.slice(-1));
  // The last state is in block T & 1 of each part's two.
  return assemble(arena, parts, B * U, (p) => ({ at: p.hs + (T & 1) * p.rows * U * 4, to: p.b0 * U, floats: p.rows * U }));
}
