import type { KernelConfig } from '@tensorflow/tfjs';
import { batchMatMulConfig } from './batch-matmul.js';
import { conv2dConfigs } from './conv2d-gemm.js';
import { elementwiseBinaryConfigs } from './elementwise-binary.js';
import { gatherV2Config } from './gather.js';
import { transposeConfig } from './elementwise-transpose.js';
import { maxPoolConfigs } from './maxpool-nhwc.js';
import { reduceAxesConfigs } from './reduce-axes.js';
import { unaryActivationConfigs } from './unary-activation.js';

/**
 * The fast cpu kernels of issue 7: convolutions as strided matrix products, float32
 * MaxPool and its gradient, elementwise and transpose fast paths, block-copy GatherV2, Sum and Max over a block of axes in place, Relu and Step, BatchMatMul on the shared matrix products. Registered by useProjectKernels() with the project's other kernels.
 */
export const fastCpuKernels: readonly KernelConfig[] = [
  ...conv2dConfigs,
  ...maxPoolConfigs,
  ...elementwiseBinaryConfigs,
  transposeConfig,
  gatherV2Config,
  ...reduceAxesConfigs,
  ...unaryActivationConfigs,
  batchMatMulConfig,
];

export { useFusedOptimizers, fusedOptimizersActive } from './optimizer-fused.js';
export { gemmNN, gemmNT, gemmTN } from './matmul-gemm.js';
