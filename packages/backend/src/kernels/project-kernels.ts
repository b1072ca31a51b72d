import type { KernelConfig } from '@tensorflow/tfjs';
import { fastCpuKernels } from './index.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/**
 * Every kernel the project registers for the `cpu` backend. `initBackend()` registers
 * this list; a new kernel file adds its config here (one import, one entry).
 */
export const projectCpuKernels: readonly KernelConfig[] = [unsortedSegmentSumConfig, ...fastCpuKernels];
