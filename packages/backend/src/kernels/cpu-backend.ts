// Kernels reach the cpu backend's storage through the tfjs internals adapter.
export { cpuBackendOf, valuesOf, kernelAttrs, type CpuBackend, type CpuValues } from '../tfjs-internals.js';
