import { Relu, Step, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { cpuBackendOf, valuesOf } from './cpu-backend.js';
import { runStockKernel } from './stock-kernels.js';
import { wasmForPass, type WasmKernels } from './wasm-kernels.js';

// Float32 Relu and Step (Relu's gradient) without the stock kernels' closure call per element:
// in the WebAssembly module for large tensors (branch-free vector loops; in JavaScript the
// sign test mispredicts on every other element of random data), else as plain loops. Same
// values as the stock kernels, NaN included: Relu is Math.max(0, x), Step is NaN for NaN,
// 1 above zero, else alpha.

type Apply = (x: Float32Array, out: Float32Array, attrs: Record<string, unknown>) => void;
type WasmApply = (kernels: WasmKernels, xAt: number, outAt: number, n: number, attrs: Record<string, unknown>) => void;

function unaryKernel(kernelName: string, apply: Apply, inWasm: WasmApply): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype !== 'float32') {
      return runStockKernel(kernelName, args);
    }
    const backend = cpuBackendOf(args.backend);
    const values = valuesOf(backend, x) as Float32Array;
    const attrs = args.attrs as Record<string, unknown>;
    const wasm = wasmForPass(values.length);
    if (wasm !== null) {
      const { kernels, arena } = wasm;
      const xAt = arena.put(values),
        outAt = arena.alloc(values.length);
      inWasm(kernels, xAt, outAt, values.length, attrs);
      return backend.makeTensorInfo(x.shape, 'float32', arena.take(outAt, values.length));
    }
    const out = new Float32Array(values.length);
    apply(values, out, attrs);
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
  { kernelName: Relu, backendName: 'cpu', kernelFunc: unaryKernel(Relu, relu, (k, x, out, n) => k.relu(x, out, n)) },
  {
    kernelName: Step,
    backendName: 'cpu',
    kernelFunc: unaryKernel(Step, step, (k, x, out, n, attrs) => k.step(x, out, n, attrs['alpha'] as number)),
  },
];
