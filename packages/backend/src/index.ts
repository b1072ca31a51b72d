export { initBackend, BACKEND_ENV_VAR } from './init-backend.js';
export type { BackendInfo, BackendChoice, InitBackendOptions, Tfjs } from './init-backend.js';
export { BackendError, BackendUnavailableError, BackendOptionError, ModelFileError } from './errors.js';
export { useProjectKernels, useStockKernels, projectKernelNames } from './kernels/registry.js';
export { stockKernel } from './kernels/stock-kernels.js';
export { unsortedSegmentSumCpu } from './kernels/unsorted-segment-sum.js';
export { fileSystem, fileSystemRouter, registerFileSystemRouter, FileSystemModelHandler } from './io/file-system-handler.js';
export { fastCpuKernels, useFusedOptimizers, fusedOptimizersActive, gemmNN, gemmNT, gemmTN } from './kernels/index.js';
