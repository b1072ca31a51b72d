import { Add, Equal, Multiply, RealDiv, Sub, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { cpuBackendOf, valuesOf } from './cpu-backend.js';
import { broadcastBinary, type BroadcastOp } from './elementwise-broadcast.js';
import { runStockKernel } from './stock-kernels.js';
import { wasmForPass } from './wasm-kernels.js';

// Float32 Add, Sub, Mul and RealDiv without the stock kernels' per-element closure call and
// index arithmetic, for the three shapes training produces most: same shape, one side a
// scalar, and a row vector along the last axis (bias adds and their gradients). Other
// broadcasts go through strided loops (elementwise-broadcast.ts), as does Equal; other dtypes
// go to the stock kernels unchanged.

type Op = Exclude<BroadcastOp, 'equal'>;

function sameShape(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sizeOf(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** out[i] = a[i] op b[i % bLen] (bLen divides out.length; bLen 1 is a scalar). */
function loop(op: Op, a: Float32Array, b: Float32Array, out: Float32Array, aRepeats: boolean): void {
  const n = out.length;
  const m = aRepeats ? a.length : b.length;
  // The operand that repeats is indexed modulo its length, one row at a time.
  for (let start = 0; start < n; start += m) {
    if (aRepeats) {
      switch (op) {
        case 'add':
          for (let j = 0; j < m; j++) out[start + j] = a[j] + b[start + j];
          break;
        case 'sub':
          for (let j = 0; j < m; j++) out[start + j] = a[j] - b[start + j];
          break;
        case 'mul':
          for (let j = 0; j < m; j++) out[start + j] = a[j] * b[start + j];
          break;
        default:
          for (let j = 0; j < m; j++) out[start + j] = a[j] / b[start + j];
      }
    } else {
      switch (op) {
        case 'add':
          for (let j = 0; j < m; j++) out[start + j] = a[start + j] + b[j];
          break;
        case 'sub':
          for (let j = 0; j < m; j++) out[start + j] = a[start + j] - b[j];
          break;
        case 'mul':
          for (let j = 0; j < m; j++) out[start + j] = a[start + j] * b[j];
          break;
        default:
          for (let j = 0; j < m; j++) out[start + j] = a[start + j] / b[j];
      }
    }
  }
}

function scalarLoop(op: Op, a: Float32Array, s: number, out: Float32Array, scalarFirst: boolean): void {
  const n = out.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i] + s;
      break;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i] * s;
      break;
    case 'sub':
      if (scalarFirst) for (let i = 0; i < n; i++) out[i] = s - a[i];
      else for (let i = 0; i < n; i++) out[i] = a[i] - s;
      break;
    default:
      if (scalarFirst) for (let i = 0; i < n; i++) out[i] = s / a[i];
      else for (let i = 0; i < n; i++) out[i] = a[i] / s;
  }
}

/**
 * True when `small`, less any leading 1s, is the trailing part of `big` (a row broadcast along
 * leading axes, as a bias reshaped to [1, 1, C] is).
 */
function isTrailing(small: number[], big: number[]): boolean {
  if (small.length > big.length) return false;
  let lead = 0;
  while (lead < small.length - 1 && small[lead] === 1) lead++;
  small = small.slice(lead);
  if (small.length === 0) return false;
  const off = big.length - small.length;
  for (let i = 0; i < small.length; i++) if (small[i] !== big[off + i]) return false;
  return true;
}

const OP_CODES: Record<Op, number> = { add: 0, sub: 1, mul: 2, div: 3 };

/**
 * out[i] = a[i mod a.length] op b[i mod b.length] for the fast-path forms: same length, one side
 * a scalar, or one side a row repeated along the other.
 */
function fastBinary(op: Op, a: Float32Array, b: Float32Array, n: number): Float32Array {
  const wasm = wasmForPass(n);
  if (wasm !== null) {
    const { kernels, arena } = wasm;
    const aAt = arena.put(a),
      bAt = arena.put(b),
      outAt = arena.alloc(n);
    kernels.binary(OP_CODES[op], aAt, a.length, bAt, b.length, outAt, n);
    return arena.take(outAt, n);
  }
  const out = new Float32Array(n);
  if (b.length === 1 && a.length === n) scalarLoop(op, a, b[0], out, false);
  else if (a.length === 1 && b.length === n) scalarLoop(op, b, a[0], out, true);
  else loop(op, a, b, out, a.length < b.length);
  return out;
}

function binaryKernel(kernelName: string, op: Op): KernelFunc {
  return (args) => {
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    if (a.dtype === 'float32' && b.dtype === 'float32') {
      const backend = cpuBackendOf(args.backend);
      const av = valuesOf(backend, a) as Float32Array;
      const bv = valuesOf(backend, b) as Float32Array;
      const aSize = sizeOf(a.shape);
      const bSize = sizeOf(b.shape);
      // The output takes the shape of the larger operand in every fast-path form.
      if (sameShape(a.shape, b.shape) || (bSize === 1 && b.shape.length <= a.shape.length) || isTrailing(b.shape, a.shape)) {
        return backend.makeTensorInfo(a.shape, 'float32', fastBinary(op, av, bv, aSize));
      }
      if ((aSize === 1 && a.shape.length <= b.shape.length) || isTrailing(a.shape, b.shape)) {
        return backend.makeTensorInfo(b.shape, 'float32', fastBinary(op, av, bv, bSize));
      }
      const general = broadcastBinary(op, av, a.shape, bv, b.shape);
      if (general !== null) return backend.makeTensorInfo(general.shape, 'float32', general.values);
    }
    return runStockKernel(kernelName, args);
  };
}

/** Equal on float32 operands of any broadcastable shapes: a bool tensor, as the stock kernel gives. */
const equalCpu: KernelFunc = (args) => {
  const a = args.inputs.a as TensorInfo;
  const b = args.inputs.b as TensorInfo;
  if (a.dtype === 'float32' && b.dtype === 'float32') {
    const backend = cpuBackendOf(args.backend);
    const result = broadcastBinary('equal', valuesOf(backend, a) as Float32Array, a.shape, valuesOf(backend, b) as Float32Array, b.shape);
    if (result !== null) return backend.makeTensorInfo(result.shape, 'bool', result.values);
  }
  return runStockKernel(Equal, args);
};

export const elementwiseBinaryConfigs: KernelConfig[] = [
  { kernelName: Add, backendName: 'cpu', kernelFunc: binaryKernel(Add, 'add') },
  { kernelName: Sub, backendName: 'cpu', kernelFunc: binaryKernel(Sub, 'sub') },
  { kernelName: Multiply, backendName: 'cpu', kernelFunc: binaryKernel(Multiply, 'mul') },
  { kernelName: RealDiv, backendName: 'cpu', kernelFunc: binaryKernel(RealDiv, 'div') },
  { kernelName: Equal, backendName: 'cpu', kernelFunc: equalCpu },
];
