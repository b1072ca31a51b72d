import { Relu, Step, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { cpuBackendOf, valuesOf } from './cpu-backend.js';
import { runStockKernel } from './stock-kernels.js';

// Float32 Relu and Step (Relu's gradient) as plain loops, without the stock kernels' closure
// call per element. Same values as theirs, NaN included: Relu is Math.max(0, x), Step is
// NaN for NaN, 1 above zero, else alpha.

function unaryKernel(kernelName: string, apply: (x: Float32Array, out: Float32Array, attrs: Record<string, unknown>) => void): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') {
      return runStockKernel(kernelName, args);
    }
    const backend = cpuBackendOf(args.backend);
    const values = valuesOf(backend, x) as Float32Array;
    const out = new Float32Array(values.length);
    apply(values, out, args.attrs as Record<string, unknown>);
    return backend.makeTensorInfo(x.shape, 'float32', out);
  };
}

function relu(x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? v : v !== v ? NaN : 0;
  }
}

function step(x: Float32Array, out: Float32Array, attrs: Record<string, unknown>): void {
  const alpha = attrs['alpha'] as number;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? 1 : v !== v ? NaN : alpha;
  }
}

export const unaryActivationConfigs: KernelConfig[] = [
  { kernelName: Relu, backendName: 'cpu', kernelFunc: unaryKernel(Relu, relu) },
  { kernelName: Step, backendName: 'cpu', kernelFunc: unaryKernel(Step, step) },
];
