import { Max, Sum, backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { cpuBackendOf, valuesOf } from './cpu-backend.js';
import { runStockKernel } from './stock-kernels.js';

// Float32 Sum and Max over one contiguous block of axes, read in place as [outer, reduce,
// inner]. The stock kernels first transpose the reduced axes innermost, which for a bias
// gradient (sum over batch and time of [128, 494, 32]) or a global max pool (max over time)
// is a generic, index-arithmetic copy of the whole tensor. Results are bit-identical: each
// output takes its values in the stock kernels' order (ascending over the reduced axes),
// Sum adding in float64 as they do, Max letting NaN win as theirs does. Other dtypes and
// axes that do not form one block go to the stock kernels.

interface Blocks {
  outer: number;
  reduce: number;
  inner: number;
  /** The output shape, with or without the reduced axes kept as 1s. */
  shape: number[];
}

function blocksOf(shape: number[], axisAttr: number | number[], keepDims: boolean): Blocks | null {
  const axes = util
    .parseAxisParam(axisAttr, shape)
    .slice()
    .sort((a, b) => a - b);
  if (axes.length === 0) return null;
  for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1] + 1) return null;
  const first = axes[0];
  const last = axes[axes.length - 1];
  const prod = (from: number, to: number) => shape.slice(from, to).reduce((a, b) => a * b, 1);
  const [outShape] = backend_util.computeOutAndReduceShapes(shape, axes);
  return {
    outer: prod(0, first),
    reduce: prod(first, last + 1),
    inner: prod(last + 1, shape.length),
    shape: keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape,
  };
}

function sumBlocks(x: Float32Array, { outer, reduce, inner }: Blocks): Float32Array {
  const out = new Float32Array(outer * inner);
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    const base = o * reduce * inner;
    for (let r = 0; r < reduce; r++) {
      const row = base + r * inner;
      for (let i = 0; i < inner; i++) acc[i] += x[row + i];
    }
    out.set(acc, o * inner);
  }
  return out;
}

function maxBlocks(x: Float32Array, { outer, reduce, inner }: Blocks): Float32Array {
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = o * reduce * inner;
    const dst = o * inner;
    for (let i = 0; i < inner; i++) out[dst + i] = x[base + i];
    for (let r = 0; r < reduce; r++) {
      const row = base + r * inner;
      for (let i = 0; i < inner; i++) {
        const v = x[row + i];
        if (v > out[dst + i] || Number.isNaN(v)) out[dst + i] = v;
      }
    }
  }
  return out;
}

function reduceKernel(
  kernelName: string,
  axisAttr: 'axis' | 'reductionIndices',
  reduce: (x: Float32Array, b: Blocks) => Float32Array,
): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const attrs = args.attrs as Record<string, unknown>;
    const blocks =
      x.dtype === 'float32' && x.shape.length > 0
        ? blocksOf(x.shape, attrs[axisAttr] as number | number[], attrs['keepDims'] as boolean)
        : null;
    if (blocks === null) {
      return runStockKernel(kernelName, args);
    }
    const backend = cpuBackendOf(args.backend);
    return backend.makeTensorInfo(blocks.shape, 'float32', reduce(valuesOf(backend, x) as Float32Array, blocks));
  };
}

export const reduceAxesConfigs: KernelConfig[] = [
  { kernelName: Sum, backendName: 'cpu', kernelFunc: reduceKernel(Sum, 'axis', sumBlocks) },
  { kernelName: Max, backendName: 'cpu', kernelFunc: reduceKernel(Max, 'reductionIndices', maxBlocks) },
];
