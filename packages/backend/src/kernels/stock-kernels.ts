import { getKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs';

type KernelArgs = Parameters<KernelFunc>[0];

/**
 * tfjs's own cpu kernels, captured the first time we replace one. Project kernels fall
 * back to them for inputs they do not specialise, tests compare against them, and
 * `useStockKernels()` puts them back so benchmarks can measure before and after.
 */
const stock = new Map<string, KernelConfig>();

export function captureStockKernel(kernelName: string, backendName = 'cpu'): void {
  const key = `${backendName}_${kernelName}`;
  if (stock.has(key)) return;
  const config = getKernel(kernelName, backendName);
  if (config !== undefined) stock.set(key, config);
}

/** The kernel config tfjs itself registered, or undefined if there was none or it was never replaced. */
export function stockKernelConfig(kernelName: string, backendName = 'cpu'): KernelConfig | undefined {
  return stock.get(`${backendName}_${kernelName}`);
}

/**
 * tfjs's own kernel function for `kernelName` on `backendName`. Captured before the
 * project's replacement was registered; before registration it is simply the current one.
 */
export function stockKernel(kernelName: string, backendName = 'cpu'): KernelFunc | undefined {
  return stockKernelConfig(kernelName, backendName)?.kernelFunc ?? getKernel(kernelName, backendName)?.kernelFunc;
}

/** Runs tfjs's own cpu kernel on `args`: what a project kernel does with inputs it does not specialise. */
export function runStockKernel(kernelName: string, args: KernelArgs): ReturnType<KernelFunc> {
  const stock = stockKernel(kernelName);
  if (stock === undefined) throw new Error(`${kernelName}: no stock cpu kernel to fall back on`);
  return stock(args);
}
