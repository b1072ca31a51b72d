// Whole-sequence SimpleRNN, LSTM and GRU, forward and backward through time: one
// implementation per path, JavaScript (js.ts) and WebAssembly (wasm.ts), behind one call.

import { jsSequence } from './js.js';
import type { SequenceProblem, SequenceResult, SequenceWeights } from './types.js';
import { wasmRecurrentSupports, wasmSequence } from './wasm.js';

export type { RecurrentCell, SequenceProblem, SequenceWeights, SequenceGradients, SequenceResult } from './types.js';
export { gateCount } from './types.js';
export { runTokenSequence } from './token-inputs.js';
export {
  recurrentForward,
  wasmRecurrentSupports,
  type RecurrentShape,
  type RecurrentWeights,
  type RecurrentPass,
  type RecurrentPassOptions,
  type RecurrentGradients,
} from './wasm.js';
export {
  activate,
  activationSlope,
  activationCode,
  type RecurrentActivation,
  ACT_TANH,
  ACT_SIGMOID,
  ACT_HARD_SIGMOID,
  ACT_RELU,
  ACT_LINEAR,
} from './activations.js';

/**
 * Runs the sequence in the WebAssembly module when it is built and the units split into SIMD
 * vectors, else in JavaScript (the same math). Without `forBackward` (no gradients being
 * recorded) the WebAssembly pass keeps no states and `backward` throws; the JavaScript pass
 * always can go backward.
 */
export function runSequence(p: SequenceProblem, x: Float32Array, w: SequenceWeights, forBackward = true): SequenceResult {
  if (wasmRecurrentSupports(p.units)) return wasmSequence(p, x, w, forBackward);
  return jsSequence(p, x, w);
}
