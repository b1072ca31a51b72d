import { UnsortedSegmentSum, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { cpuBackendOf, valuesOf } from './cpu-backend.js';
import { runStockKernel } from './stock-kernels.js';
import { wasmArena, wasmKernels } from './wasm-kernels.js';
import { inParallel, wasmThreads, type KernelCall } from './wasm-threads.js';

/**
 * `UnsortedSegmentSum` as one scatter-add pass. It is the gradient of every gather, so
 * of every Embedding layer; the stock cpu kernel builds a mask, a product and a sum
 * tensor once per segment (once per vocabulary row), which makes Embedding training
 * crawl.
 *
 * Results are bit-identical to the stock kernel: rows are added in ascending order in
 * float64 and rounded to float32 once, as its `sum` does; int32 and bool inputs are
 * rounded to float32 first and give a float32 output, as its float mask product does;
 * ids that are negative or not below `numSegments` drop their row.
 * One difference on purpose: a NaN or infinity in a row lands only in that row's
 * segment (TensorFlow's semantics), where the stock kernel's `0 * NaN` mask spreads it
 * into every segment.
 * Shapes the stock kernel handles by broadcasting (segment ids that are not a vector
 * as long as `x`'s first dimension) and dtypes other than float32, int32 and bool are
 * handed to the stock kernel unchanged.
 */
let scratch = new Float64Array(0);

/**
 * A zeroed float64 accumulator, reused from call to call: an Embedding gradient's is megabytes
 * (10000 × 128 doubles for the convnet), and a fresh one each step costs more in first-touch
 * page faults than the sums themselves.
 */
function accumulator(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(size);
  const acc = scratch.subarray(0, size);
  acc.fill(0);
  return acc;
}

export const unsortedSegmentSumCpu: KernelFunc = (args) => {
  const { inputs, attrs } = args;
  const x = inputs.x as TensorInfo;
  const segmentIds = inputs.segmentIds as TensorInfo;
  const numSegments = (attrs as { numSegments: number }).numSegments;

  const plainDtype = x.dtype === 'float32' || x.dtype === 'int32' || x.dtype === 'bool';
  const rows = x.shape[0];
  if (!plainDtype || x.shape.length === 0 || segmentIds.shape.length !== 1 || segmentIds.shape[0] !== rows) {
    return runStockKernel(UnsortedSegmentSum, args);
  }

  const backend = cpuBackendOf(args.backend);
  const xValues = valuesOf(backend, x);
  const ids = valuesOf(backend, segmentIds);
  const inner = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const outShape = [numSegments, ...x.shape.slice(1)];

  const kernels = wasmKernels();
  if (kernels !== null && wasmArena !== null && xValues instanceof Float32Array && ids instanceof Int32Array) {
    const arena = wasmArena.start();
    const xAt = arena.put(xValues);
    const idsAt = arena.putInt32(ids);
    // float64 accumulators: two floats' room each.
    const accAt = arena.alloc(2 * numSegments * inner, true);
    // On two threads, two ranges of segments, each summed in the same row order as one thread.
    const call = (from: number, to: number): KernelCall => ({ name: 'segmentSum', args: [rows, inner, xAt, idsAt, from, to, accAt] });
    const half = wasmThreads() > 1 ? numSegments >> 1 : 0;
    inParallel(kernels, half > 0 ? [call(0, half)] : [], [call(half, numSegments)]);
    return backend.makeTensorInfo(outShape, 'float32', arena.takeFloat64(accAt, numSegments * inner));
  }

  const acc = accumulator(numSegments * inner);

  if (x.dtype === 'float32') {
    for (let i = 0; i < rows; i++) {
      const s = ids[i];
      if (s < 0 || s >= numSegments) continue;
      const src = i * inner;
      const dst = s * inner;
      for (let j = 0; j < inner; j++) acc[dst + j] += xValues[src + j];
    }
  } else {
    for (let i = 0; i < rows; i++) {
      const s = ids[i];
      if (s < 0 || s >= numSegments) continue;
      const src = i * inner;
      const dst = s * inner;
      for (let j = 0; j < inner; j++) acc[dst + j] += Math.fround(xValues[src + j]);
    }
  }

  return backend.makeTensorInfo(outShape, 'float32', new Float32Array(acc));
};

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'cpu',
  kernelFunc: unsortedSegmentSumCpu,
};
