// The shared body of the fused layers' call(): runs the whole sequence as one tf.customGrad op
// whose gradient is hand-written backpropagation through time (@seqlearn/backend/ops'
// runSequence, which runs it in WebAssembly or JavaScript).
// A mask (from an Embedding with maskZero) runs on the fused path, with tfjs-layers' rnn()
// semantics (types.ts in @seqlearn/backend/ops). Calls the fused path cannot take (initial or
// returned states, stateful layers, an activation it lacks) return null, and the layer falls
// back to the stock per-step RNN.

import { createRng, type Rng } from '@seqlearn/dataset';
import { recordingGradients, recurrentCellFields } from '@seqlearn/backend/internals';
import { activationCode, gateCount, runSequence, type RecurrentCell, type SequenceProblem } from '@seqlearn/backend/ops';
import { tf } from '../tf.js';

type Tensor = tf.Tensor;

/** A fused layer as fusedCall sees it: the stock RNN plus the seed of its dropout masks (and a GRU's resetAfter). */
export type FusedLayerView = tf.RNN & { seed: number; resetAfter?: boolean };

export type CallKwargs = { [key: string]: unknown };

const rngs = new WeakMap<object, Rng>();

function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The layer's mask stream. Seeded by the layer's seed and its name, so the two halves of a
 * Bidirectional (same config, names forward_… and backward_…) draw different masks.
 */
function layerRng(layer: FusedLayerView): Rng {
  let rng = rngs.get(layer);
  if (rng === undefined) {
    rng = createRng((layer.seed ^ hashName(layer.name)) >>> 0);
    rngs.set(layer, rng);
  }
  return rng;
}

/** An inverted-dropout mask: 0 with probability rate, else 1/(1-rate). */
export function dropoutMask(rng: Rng, size: number, rate: number): Float32Array {
  const mask = new Float32Array(size);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < size; i++) mask[i] = rng.next() < rate ? 0 : keep;
  return mask;
}

/**
 * The whole-sequence problem for one call of a fused layer on `[batch, steps, inputDim]`
 * inputs, dropout masks included (drawn from the layer's stream while `training`); null when
 * the layer has an activation the fused path lacks.
 */
export function sequenceProblem(
  layer: FusedLayerView,
  kind: RecurrentCell,
  batch: number,
  steps: number,
  inputDim: number,
  training: boolean,
  stepMask: Uint8Array | null = null,
): SequenceProblem | null {
  const cell = recurrentCellFields(layer);
  const activation = activationCode(cell.activation);
  const recurrentActivation = activationCode(cell.recurrentActivation);
  if (activation === undefined || recurrentActivation === undefined) return null;
  const units = cell.units;
  const rng = layerRng(layer);
  const useInputDropout = training && cell.dropout > 0 && cell.dropout < 1;
  const useRecurrentDropout = training && cell.recurrentDropout > 0 && cell.recurrentDropout < 1;
  return {
    cell: kind,
    batch,
    steps,
    inputDim,
    units,
    goBackwards: layer.goBackwards,
    returnSequences: layer.returnSequences,
    activation,
    recurrentActivation,
    inputMask: useInputDropout ? dropoutMask(rng, batch * inputDim, cell.dropout) : null,
    recurrentMask: useRecurrentDropout ? dropoutMask(rng, batch * units, cell.recurrentDropout) : null,
    resetAfter: kind === 'gru' && layer.resetAfter === true,
    stepMask,
  };
}

/**
 * A Keras mask ([batch, steps], any dtype: nonzero keeps the step) as the step mask of the
 * fused passes; null when it has another shape (the stock path then decides).
 */
export function stepMaskOf(mask: unknown, batch: number, steps: number): Uint8Array | null {
  const m = Array.isArray(mask) ? mask[0] : mask;
  if (!(m instanceof tf.Tensor) || m.size !== batch * steps || m.shape[0] !== batch || m.shape[1] !== steps) return null;
  const values = m.dataSync();
  const out = new Uint8Array(batch * steps);
  for (let i = 0; i < out.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  return out;
}

/** The layer's kernel, recurrent kernel and bias (null without one). */
export function cellVariables(layer: FusedLayerView): { kernel: tf.Variable; recurrentKernel: tf.Variable; bias: tf.Variable | null } {
  const { kernel, recurrentKernel, bias } = recurrentCellFields(layer);
  return { kernel, recurrentKernel, bias };
}

export function fusedCall(layer: FusedLayerView, kind: RecurrentCell, inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | null {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) return null;
    inputs = inputs[0];
  }
  if (kwargs['initialState'] != null) return null;
  if (layer.stateful || layer.returnState) return null;
  if (inputs.rank !== 3) return null;
  const [batch, steps, inputDim] = inputs.shape as [number, number, number];
  let stepMask: Uint8Array | null = null;
  if (kwargs['mask'] != null) {
    stepMask = stepMaskOf(kwargs['mask'], batch, steps);
    if (stepMask === null) return null;
  }
  const problem = sequenceProblem(layer, kind, batch, steps, inputDim, kwargs['training'] === true, stepMask);
  if (problem === null) return null;
  const x = inputs.dtype === 'float32' ? inputs : tf.cast(inputs, 'float32');
  const { kernel, recurrentKernel, bias } = cellVariables(layer);
  return runFused(problem, x, bias === null ? [kernel, recurrentKernel] : [kernel, recurrentKernel, bias]);
}

/** One op over [x, kernel, recurrentKernel, bias?] with BPTT as its gradient. */
export function runFused(problem: SequenceProblem, x: Tensor, weights: Tensor[]): Tensor {
  const { batch, steps, units } = problem;
  const outShape = problem.returnSequences ? [batch, steps, units] : [batch, units];
  const gates = gateCount(problem.cell);
  const op = tf.customGrad((...args: Array<Tensor | tf.GradSaveFunc>) => {
    const [xt, kernel, recurrentKernel, bias] = args as Tensor[];
    const hasBias = args.length > 4;
    // Only inside a gradient scope can this op's gradient be asked for, so only then must the
    // WebAssembly pass keep its states.
    const result = runSequence(
      problem,
      xt.dataSync() as Float32Array,
      {
        kernel: kernel.dataSync() as Float32Array,
        recurrentKernel: recurrentKernel.dataSync() as Float32Array,
        bias: hasBias ? (bias.dataSync() as Float32Array) : null,
      },
      recordingGradients(),
    );
    const value = tf.tensor(result.output, outShape, 'float32');
    const gradFunc = (dy: Tensor): Tensor[] => {
      const g = result.backward(dy.dataSync() as Float32Array);
      const grads = [
        tf.tensor(g.x, xt.shape, 'float32'),
        tf.tensor(g.kernel, [problem.inputDim, gates * units], 'float32'),
        tf.tensor(g.recurrentKernel, [units, gates * units], 'float32'),
      ];
      if (hasBias && g.bias !== null) grads.push(tf.tensor(g.bias, bias.shape, 'float32'));
      return grads;
    };
    return { value, gradFunc };
  });
  return op(x, ...weights);
}

/** The position of a layer's mask stream (undefined before its first masked call). */
export function dropoutStreamState(layer: object): number | undefined {
  return rngs.get(layer)?.getState();
}

/** Puts a layer's mask stream at a saved position, so a resumed run draws the masks it would have. */
export function setDropoutStreamState(layer: FusedLayerView, state: number | undefined): void {
  if (state === undefined) {
    rngs.delete(layer);
    return;
  }
  layerRng(layer).setState(state);
}
