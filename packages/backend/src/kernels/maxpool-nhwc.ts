import { backend_util, MaxPool, MaxPoolGrad, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { cpuBackendOf, kernelAttrs, valuesOf } from './cpu-backend.js';
import { runStockKernel } from './stock-kernels.js';
import { wasmForPass, type WasmKernels } from './wasm-kernels.js';

// MaxPool and MaxPoolGrad (what MaxPooling1D lowers to) for float32 NHWC, walking each window
// once with the channels as the inner, contiguous loop. The stock gradient first builds a
// tensor of argmax positions with per-element index arithmetic and then visits every input
// pixel against every window: in a Conv1D → MaxPool model it cost more than the convolutions.
// Semantics are the stock kernels': the maximum is the first strictly greater value in
// row-major window order, and that position alone receives the window's gradient (a window of
// only NaN or -Infinity passes none). Large tensors take the same walk in the WebAssembly
// module (asm/max-pool.ts).

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function poolInfo(shape: number[], attrs: PoolAttrs): backend_util.Conv2DInfo {
  return backend_util.computePool2DInfo(
    shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

/**
 * For every window: the running maximum per channel in best, and its flat input index in
 * where (-1 while none). visit(outOffset, best, where) is called once per output pixel.
 */
function scanWindows(
  info: backend_util.Conv2DInfo,
  x: Float32Array,
  visit: (outOffset: number, best: Float64Array, where: Int32Array) => void,
): void {
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const best = new Float64Array(C);
  const where = new Int32Array(C);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      const r0 = yR * strideHeight - info.padInfo.top;
      const rA = Math.max(0, r0),
        rB = Math.min(inHeight, r0 + filterHeight);
      for (let yC = 0; yC < outWidth; yC++) {
        const c0 = yC * strideWidth - info.padInfo.left;
        const cA = Math.max(0, c0),
          cB = Math.min(inWidth, c0 + filterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let r = rA; r < rB; r++) {
          for (let c = cA; c < cB; c++) {
            const base = ((b * inHeight + r) * inWidth + c) * C;
            for (let d = 0; d < C; d++) {
              const v = x[base + d];
              if (v > best[d]) {
                best[d] = v;
                where[d] = base + d;
              }
            }
          }
        }
        visit(((b * outHeight + yR) * outWidth + yC) * C, best, where);
      }
    }
  }
}

/** Runs asm maxPool over x (already in the module at xAt), writing maxima to outAt and, unless 0, indices to whereAt. */
function wasmMaxPool(kernels: WasmKernels, info: backend_util.Conv2DInfo, xAt: number, outAt: number, whereAt: number): void {
  kernels.maxPool(
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.filterHeight,
    info.filterWidth,
    info.padInfo.top,
    info.padInfo.left,
    xAt,
    outAt,
    whereAt,
  );
}

/**
 * MaxPooling1D with valid windows of `poolSize` steps, `strides` apart, over `[batch, steps,
 * channels]` (also used by @seqlearn/models' compiled training step): each window's maximum
 * and its flat input index, chosen as MaxPool and MaxPoolGrad choose them (-1 and -Infinity
 * for a window of only NaN or -Infinity). `into` receives them when its arrays have the
 * output's size: a training step reuses them from step to step rather than allocating
 * megabytes of fresh memory each time.
 */
export function maxPool1d(
  x: Float32Array,
  batch: number,
  steps: number,
  channels: number,
  poolSize: number,
  strides: number,
  into?: { out: Float32Array; where: Int32Array },
): { out: Float32Array; where: Int32Array } {
  const info = poolInfo([batch, 1, steps, channels], { filterSize: [1, poolSize], strides: [1, strides], pad: 'valid' });
  const size = info.outShape.reduce((a, b) => a * b, 1);
  const reused = into !== undefined && into.out.length === size && into.where.length === size ? into : undefined;
  const wasm = wasmForPass(x.length);
  if (wasm !== null) {
    const { kernels, arena } = wasm;
    const xAt = arena.put(x),
      outAt = arena.alloc(size),
      whereAt = arena.alloc(size);
    wasmMaxPool(kernels, info, xAt, outAt, whereAt);
    if (reused === undefined) return { out: arena.take(outAt, size), where: new Int32Array(arena.take(whereAt, size).buffer) };
    const memory = arena.floats();
    reused.out.set(memory.subarray(outAt / 4, outAt / 4 + size));
    new Float32Array(reused.where.buffer, reused.where.byteOffset, size).set(memory.subarray(whereAt / 4, whereAt / 4 + size));
    return reused;
  }
  const out = reused?.out ?? new Float32Array(size);
  const where = reused?.where ?? new Int32Array(size);
  const C = info.inChannels;
  scanWindows(info, x, (o, best, at) => {
    for (let d = 0; d < C; d++) {
      out[o + d] = best[d];
      where[o + d] = at[d];
    }
  });
  return { out, where };
}

export const maxPoolCpu: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  const attrs = kernelAttrs<PoolAttrs>(args.attrs);
  if (x.dtype !== 'float32' || x.shape.length !== 4) return runStockKernel(MaxPool, args);
  const info = poolInfo(x.shape, attrs);
  const backend = cpuBackendOf(args.backend);
  const xv = valuesOf(backend, x) as Float32Array;
  const outSize = info.outShape.reduce((a, b) => a * b, 1);
  const wasm = wasmForPass(xv.length);
  if (wasm !== null) {
    const { kernels, arena } = wasm;
    const xAt = arena.put(xv),
      outAt = arena.alloc(outSize);
    wasmMaxPool(kernels, info, xAt, outAt, 0);
    return backend.makeTensorInfo(info.outShape, 'float32', arena.take(outAt, outSize));
  }
  const out = new Float32Array(outSize);
  const C = info.inChannels;
  scanWindows(info, xv, (o, best) => {
    for (let d = 0; d < C; d++) out[o + d] = best[d];
  });
  return backend.makeTensorInfo(info.outShape, 'float32', out);
};

export const maxPoolGradCpu: KernelFunc = (args) => {
  const dy = args.inputs.dy as TensorInfo;
  const x = args.inputs.input as TensorInfo;
  const attrs = kernelAttrs<PoolAttrs>(args.attrs);
  if (x.dtype !== 'float32' || dy.dtype !== 'float32' || x.shape.length !== 4) return runStockKernel(MaxPoolGrad, args);
  const info = poolInfo(x.shape, attrs);
  const backend = cpuBackendOf(args.backend);
  const dyv = valuesOf(backend, dy) as Float32Array;
  const xv = valuesOf(backend, x) as Float32Array;
  const size = x.shape.reduce((a, b) => a * b, 1);
  const wasm = wasmForPass(xv.length);
  if (wasm !== null) {
    const { kernels, arena } = wasm;
    const xAt = arena.put(xv),
      dyAt = arena.put(dyv);
    const maxAt = arena.alloc(dyv.length),
      whereAt = arena.alloc(dyv.length);
    // Windows that cannot overlap give each input one value at most: no float64 sums needed.
    const disjoint = info.strideHeight >= info.filterHeight && info.strideWidth >= info.filterWidth;
    const accAt = disjoint ? 0 : arena.alloc(2 * size, true);
    const dxAt = arena.alloc(size, disjoint);
    wasmMaxPool(kernels, info, xAt, maxAt, whereAt);
    kernels.maxPoolScatter(whereAt, dyAt, dyv.length, accAt, dxAt, size);
    return backend.makeTensorInfo(x.shape, 'float32', arena.take(dxAt, size));
  }
  // Summed in float64 and rounded once, as the stock kernel does.
  const dx = new Float64Array(size);
  const C = info.inChannels;
  scanWindows(info, xv, (o, _best, where) => {
    for (let d = 0; d < C; d++) if (where[d] >= 0) dx[where[d]] += dyv[o + d];
  });
  return backend.makeTensorInfo(x.shape, 'float32', Float32Array.from(dx));
};

export const maxPoolConfigs: KernelConfig[] = [
  { kernelName: MaxPool, backendName: 'cpu', kernelFunc: maxPoolCpu },
  { kernelName: MaxPoolGrad, backendName: 'cpu', kernelFunc: maxPoolGradCpu },
];
