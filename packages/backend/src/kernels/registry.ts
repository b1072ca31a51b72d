import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { projectCpuKernels } from './project-kernels.js';
import { captureStockKernel, stockKernelConfig } from './stock-kernels.js';
import { useFusedOptimizers } from './optimizer-fused.js';

function replaceKernel(config: KernelConfig): void {
  // tfjs warns when a kernel is registered twice, so the old one goes first.
  if (getKernel(config.kernelName, config.backendName) !== undefined) {
    unregisterKernel(config.kernelName, config.backendName);
  }
  registerKernel(config);
}

/**
 * Registers the project's cpu kernels in place of tfjs's, remembering tfjs's so they can
 * be restored. Calling it again changes nothing. Returns the kernel names.
 */
export function useProjectKernels(): string[] {
  for (const config of projectCpuKernels) {
    if (getKernel(config.kernelName, config.backendName)?.kernelFunc === config.kernelFunc) continue;
    captureStockKernel(config.kernelName, config.backendName);
    replaceKernel(config);
  }
  useFusedOptimizers(true);
  return projectCpuKernels.map((c) => c.kernelName);
}

/**
 * Puts tfjs's own cpu kernels back (for benchmarks and comparisons). Kernels run through
 * the registry on every call, so this takes effect for models already built.
 */
export function useStockKernels(): void {
  useFusedOptimizers(false);
  for (const config of projectCpuKernels) {
    const stock = stockKernelConfig(config.kernelName, config.backendName);
    if (stock !== undefined) replaceKernel(stock);
    else if (getKernel(config.kernelName, config.backendName) !== undefined) {
      unregisterKernel(config.kernelName, config.backendName);
    }
  }
}

/** Names of the kernels the project replaces on the cpu backend. */
export function projectKernelNames(): string[] {
  return projectCpuKernels.map((c) => c.kernelName);
}
