// The WebAssembly module's exports: one module, one memory, built by scripts/build-wasm.mjs.
// @ts-nocheck: AssemblyScript source.
export { gemm, gemmTN, transpose } from './gemm';
export {
  simpleRnnForward, simpleRnnForwardTokens, simpleRnnBackward, lstmForward, lstmForwardTokens, lstmBackward,
  gruForward, gruForwardTokens, gruBackward, gruResetAfterForward, gruResetAfterForwardTokens, gruResetAfterBackward,
} from './recurrent';
export { segmentSum } from './segment-sum';
export { relu, step, binary, zeroFloats } from './elementwise';
export { gatherRows, scatterAddRows } from './gather';
export { maxPool, maxPoolScatter } from './max-pool';
export { tokenTapSum, tokenTapScatter, reluGradColumnSums } from './token-taps';
export { rmsProp } from './optimizers';
export { conv1dOutputs, conv1dSpread } from './conv1d';
