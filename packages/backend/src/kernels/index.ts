import type { KernelConfig } from '@tensorflow/tfjs';
import { conv2dConfigs } from './conv2d-gemm.js';
import { elementwiseBinaryConfigs } from './elementwise-binary.js';

/**
 * The fast cpu kernels of issue 7: convolutions as strided matrix products and float32
 * elementwise fast paths. Registered by useProjectKernels() with the project's other kernels.
 */
export const fastCpuKernels: readonly KernelConfig[] = [...conv2dConfigs, ...elementwiseBinaryConfigs];

export { useFusedOptimizers, fusedOptimizersActive } from './optimizer-fused.js';
export { gemmNN, gemmNT, gemmTN } from './matmul-gemm.js';
