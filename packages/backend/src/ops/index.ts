// @seqlearn/backend/ops: the raw operations on Float32Arrays that @seqlearn/models' compiled
// training step and fused layers are built from. Each has a JavaScript and, where it pays, a
// WebAssembly path; callers never choose between them. Choosing a backend and registering
// kernels stay in the package's main entry.

export { gemmNN, gemmNT, gemmTN } from '../kernels/matmul-gemm.js';
export {
  sumTokenTapProducts,
  tokenTapGradients,
  releaseTokenTapFrame,
  type TokenTapShape,
  type TokenTapEpilogue,
  type TokenTapPrologue,
  type TokenTapFrame,
  type TableRows,
} from '../kernels/token-taps.js';
export { gatherTableRows } from '../kernels/gather.js';
export { conv1dForwardInModule, conv1dBackwardInModule, flipTaps, type Conv1dValidShape } from '../kernels/conv1d-valid.js';
export { maxPool1d } from '../kernels/maxpool-nhwc.js';
export { unsortedSegmentSumCpu } from '../kernels/unsorted-segment-sum.js';
export { useFusedOptimizers, fusedOptimizersActive } from '../kernels/optimizer-fused.js';
export { useWasmKernels } from '../kernels/wasm-kernels.js';
export { useWasmThreads, wasmThreads } from '../kernels/wasm-threads.js';
export {
  runSequence,
  runTokenSequence,
  gateCount,
  recurrentForward,
  wasmRecurrentSupports,
  activate,
  activationSlope,
  activationCode,
  ACT_TANH,
  ACT_SIGMOID,
  ACT_HARD_SIGMOID,
  ACT_RELU,
  ACT_LINEAR,
} from './recurrent/index.js';
export type {
  RecurrentCell,
  RecurrentActivation,
  SequenceProblem,
  SequenceWeights,
  SequenceGradients,
  SequenceResult,
  RecurrentShape,
  RecurrentWeights,
  RecurrentPass,
  RecurrentPassOptions,
  RecurrentGradients,
} from './recurrent/index.js';
