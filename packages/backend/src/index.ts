export { initBackend, BACKEND_ENV_VAR } from './init-backend.js';
export type { BackendInfo, BackendChoice, InitBackendOptions, Tfjs } from './init-backend.js';
export { BackendError, BackendUnavailableError, BackendOptionError, ModelFileError, WasmWorkerError } from './errors.js';
export { useProjectKernels, useStockKernels, projectKernelNames } from './kernels/registry.js';
export { stockKernel } from './kernels/stock-kernels.js';
export { fileSystem, fileSystemRouter, registerFileSystemRouter, FileSystemModelHandler } from './io/file-system-handler.js';
export { fastCpuKernels } from './kernels/index.js';
export { useWasmKernels } from './kernels/wasm-kernels.js';
export { TFJS_INTERNALS_VERSION, checkTfjsVersions } from './tfjs-internals.js';

// The raw operations moved to @seqlearn/backend/ops; these re-exports keep old imports
// working for one release.
import type { KernelFunc } from '@tensorflow/tfjs';
import * as ops from './ops/index.js';

/** @deprecated use `unsortedSegmentSumCpu` from `@seqlearn/backend/ops` */
export const unsortedSegmentSumCpu: KernelFunc = ops.unsortedSegmentSumCpu;
/** @deprecated use `useFusedOptimizers` from `@seqlearn/backend/ops` */
export const useFusedOptimizers = ops.useFusedOptimizers;
/** @deprecated use `fusedOptimizersActive` from `@seqlearn/backend/ops` */
export const fusedOptimizersActive = ops.fusedOptimizersActive;
/** @deprecated use `gemmNN` from `@seqlearn/backend/ops` */
export const gemmNN = ops.gemmNN;
/** @deprecated use `gemmNT` from `@seqlearn/backend/ops` */
export const gemmNT = ops.gemmNT;
/** @deprecated use `gemmTN` from `@seqlearn/backend/ops` */
export const gemmTN = ops.gemmTN;
/** @deprecated use `sumTokenTapProducts` from `@seqlearn/backend/ops` */
export const sumTokenTapProducts = ops.sumTokenTapProducts;
/** @deprecated use `tokenTapGradients` from `@seqlearn/backend/ops` */
export const tokenTapGradients = ops.tokenTapGradients;
/** @deprecated use `gatherTableRows` from `@seqlearn/backend/ops` */
export const gatherTableRows = ops.gatherTableRows;
/** @deprecated use `maxPool1d` from `@seqlearn/backend/ops` */
export const maxPool1d = ops.maxPool1d;
/** @deprecated use `recurrentForward` (or `runSequence`) from `@seqlearn/backend/ops` */
export const recurrentForward = ops.recurrentForward;
/** @deprecated use `wasmRecurrentSupports` from `@seqlearn/backend/ops` */
export const wasmRecurrentSupports = ops.wasmRecurrentSupports;
/** @deprecated use `useWasmThreads` from `@seqlearn/backend/ops` */
export const useWasmThreads = ops.useWasmThreads;
/** @deprecated use `wasmThreads` from `@seqlearn/backend/ops` */
export const wasmThreads = ops.wasmThreads;
/** @deprecated use `TokenTapShape` from `@seqlearn/backend/ops` */
export type TokenTapShape = ops.TokenTapShape;
/** @deprecated use `RecurrentCell` from `@seqlearn/backend/ops` */
export type RecurrentCell = ops.RecurrentCell;
/** @deprecated use `RecurrentShape` from `@seqlearn/backend/ops` */
export type RecurrentShape = ops.RecurrentShape;
/** @deprecated use `RecurrentWeights` from `@seqlearn/backend/ops` */
export type RecurrentWeights = ops.RecurrentWeights;
/** @deprecated use `RecurrentPass` from `@seqlearn/backend/ops` */
export type RecurrentPass = ops.RecurrentPass;
/** @deprecated use `RecurrentPassOptions` from `@seqlearn/backend/ops` */
export type RecurrentPassOptions = ops.RecurrentPassOptions;
/** @deprecated use `RecurrentGradients` from `@seqlearn/backend/ops` */
export type RecurrentGradients = ops.RecurrentGradients;
