import { BatchMatMul, type BatchMatMulAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { cpuBackendOf, kernelAttrs, valuesOf } from './cpu-backend.js';
import { gemmNN, gemmNT, gemmTN } from './matmul-gemm.js';
import { runStockKernel } from './stock-kernels.js';

/**
 * `BatchMatMul` (every tf.matMul, and the gradients of Dense layers) through the project's
 * matrix products: the WebAssembly SIMD kernel for products big enough to repay packing,
 * unrolled JavaScript below that. Float32 only, with either operand transposed (not both),
 * and batch dimensions that are equal or 1 on one side; anything else goes to the stock
 * kernel. The stock kernel sums each dot product in float64, these in float32: results
 * agree to float32 rounding, not bit for bit.
 */
export const batchMatMulCpu: KernelFunc = (args) => {
  const a = args.inputs.a as TensorInfo;
  const b = args.inputs.b as TensorInfo;
  const { transposeA, transposeB } = kernelAttrs<BatchMatMulAttrs>(args.attrs);
  const batchA = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const sameBatchShape = a.shape.length === b.shape.length && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
  const supported =
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    a.shape.length >= 2 &&
    b.shape.length >= 2 &&
    !(transposeA && transposeB) &&
    (sameBatchShape || (batchA === 1 && a.shape.length <= b.shape.length) || (batchB === 1 && b.shape.length <= a.shape.length));
  if (!supported) {
    return runStockKernel(BatchMatMul, args);
  }
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const M = transposeA ? aCols : aRows;
  const K = transposeA ? aRows : aCols;
  const N = transposeB ? bRows : bCols;
  if ((transposeB ? bCols : bRows) !== K) {
    throw new Error(
      `BatchMatMul: inner dimensions ${K} and ${transposeB ? bCols : bRows} of shapes [${a.shape}] and [${b.shape}] (transposeA ${transposeA}, transposeB ${transposeB}) must match`,
    );
  }
  const backend = cpuBackendOf(args.backend);
  const av = valuesOf(backend, a) as Float32Array;
  const bv = valuesOf(backend, b) as Float32Array;
  const batch = Math.max(batchA, batchB);
  const out = new Float32Array(batch * M * N);
  for (let i = 0; i < batch; i++) {
    const aOff = batchA === 1 ? 0 : i * aRows * aCols;
    const bOff = batchB === 1 ? 0 : i * bRows * bCols;
    const cOff = i * M * N;
    if (transposeA) gemmTN(M, N, K, av, aOff, aCols, bv, bOff, bCols, out, cOff, N);
    else if (transposeB) gemmNT(M, N, K, av, aOff, aCols, bv, bOff, bCols, out, cOff, N);
    else gemmNN(M, N, K, av, aOff, aCols, bv, bOff, bCols, out, cOff, N);
  }
  const batchShape = (batchA >= batchB && a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2);
  return backend.makeTensorInfo([...batchShape, M, N], 'float32', out);
};

export const batchMatMulConfig: KernelConfig = { kernelName: BatchMatMul, backendName: 'cpu', kernelFunc: batchMatMulCpu };
