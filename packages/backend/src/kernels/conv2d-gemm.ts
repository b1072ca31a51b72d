import {
  backend_util,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { cpuBackendOf, kernelAttrs, valuesOf } from './cpu-backend.js';
import { gemmNN, gemmNT, gemmTN } from './matmul-gemm.js';
import { runStockKernel } from './stock-kernels.js';
import { wasmArena, wasmKernels, type WasmArena, type WasmKernels } from './wasm-kernels.js';
import { inParallel, wasmThreads, type KernelCall } from './wasm-threads.js';

// Conv2D and its two gradients (what Conv1D lowers to) for NHWC float32, as matrix products.
// For one output row and one filter tap (fh, fw) the input pixels that tap touches are evenly
// spaced rows of the NHWC buffer, so the tap's whole contribution is one product of a
// [outWidth, inChannels] strided view with the tap's [inChannels, outChannels] filter slice:
// no im2col copy, and the inner loops run over contiguous channels. The stock kernels walk
// every (pixel, tap, channel) with index arithmetic, and their backprop is far slower still.
// With the WebAssembly module built, the operands are copied into its memory once per call and
// every tap's product runs there in place (strided, so still no im2col), the images split over
// two threads (src/kernels/wasm-threads.ts); otherwise the products run in JavaScript.

type ConvInfo = backend_util.Conv2DInfo;

interface Tap {
  /** first output column the tap reaches, and how many */
  ow0: number;
  count: number;
  /** the input column of ow0 */
  iw0: number;
}

/** The output columns for which input column ow·sw + fw·dw − padLeft lies inside the image. */
function tapColumns(info: ConvInfo, fw: number): Tap {
  const { strideWidth: sw, dilationWidth: dw, inWidth, outWidth } = info;
  const shift = fw * dw - info.padInfo.left;
  const ow0 = Math.max(0, Math.ceil(-shift / sw));
  const ow1 = Math.min(outWidth, Math.floor((inWidth - 1 - shift) / sw) + 1);
  return { ow0, count: Math.max(0, ow1 - ow0), iw0: ow0 * sw + shift };
}

type TapVisitor = (xOff: number, yOff: number, wOff: number, rows: number, image: number) => void;

/** Calls visit once per (image, output row, filter tap) with the offsets of the matching views. */
function forEachTap(info: ConvInfo, visit: TapVisitor): void {
  const { batchSize, inHeight, inWidth, inChannels: ci, outHeight, outWidth, outChannels: co } = info;
  const { strideHeight: sh, dilationHeight: dh, filterHeight, filterWidth } = info;
  const taps = Array.from({ length: filterWidth }, (_, fw) => tapColumns(info, fw));
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let fh = 0; fh < filterHeight; fh++) {
        const ih = oh * sh + fh * dh - info.padInfo.top;
        if (ih < 0 || ih >= inHeight) continue;
        for (let fw = 0; fw < filterWidth; fw++) {
          const t = taps[fw];
          if (t.count === 0) continue;
          const xOff = ((b * inHeight + ih) * inWidth + t.iw0) * ci;
          const yOff = ((b * outHeight + oh) * outWidth + t.ow0) * co;
          const wOff = (fh * filterWidth + fw) * ci * co;
          visit(xOff, yOff, wOff, t.count, b);
        }
      }
    }
  }
}

/** One tap's product in the WebAssembly module, accumulating into the output at `outAt`. */
type WasmTap = (outAt: number, xOff: number, yOff: number, wOff: number, rows: number) => KernelCall;
type WasmTaps = (kernels: WasmKernels, arena: WasmArena, aAt: number, bAt: number) => WasmTap;

/**
 * A zeroed output of `size` floats with every tap's product added in: in the WebAssembly
 * module's memory when it is built (operands `a` and `b` copied in once; `inWasm` gets their
 * byte addresses), else in JavaScript on the arrays themselves (`inJs` gets the output).
 * In WebAssembly the images split over two threads. When every image adds into the same
 * output (`imagesShareOutput`: the filter gradient), the second thread adds into an output of
 * its own, summed at the end.
 */
function accumulateTaps(
  info: ConvInfo,
  size: number,
  a: Float32Array,
  b: Float32Array,
  inWasm: WasmTaps,
  inJs: (out: Float32Array) => TapVisitor,
  imagesShareOutput = false,
): Float32Array {
  const kernels = wasmKernels();
  if (kernels !== null && wasmArena !== null) {
    const arena = wasmArena.start();
    const aAt = arena.put(a),
      bAt = arena.put(b),
      outAt = arena.alloc(size, true);
    const split = wasmThreads() > 1 && info.batchSize > 1;
    const workerOutAt = split && imagesShareOutput ? arena.alloc(size, true) : outAt;
    const tap = inWasm(kernels, arena, aAt, bAt);
    const there: KernelCall[] = [];
    const here: KernelCall[] = [];
    const firstHere = split ? info.batchSize >> 1 : 0;
    forEachTap(info, (xOff, yOff, wOff, rows, image) => {
      if (image < firstHere) there.push(tap(workerOutAt, xOff, yOff, wOff, rows));
      else here.push(tap(outAt, xOff, yOff, wOff, rows));
    });
    inParallel(kernels, there, here);
    return arena.takeSum(workerOutAt === outAt ? [outAt] : [outAt, workerOutAt], size);
  }
  const out = new Float32Array(size);
  forEachTap(info, inJs(out));
  return out;
}

interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
}

function convInfoFor(inShape: number[], filterShape: number[], attrs: ConvAttrs, dilations: ConvAttrs['dilations']): ConvInfo {
  return backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

export const conv2dCpu: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  const filter = args.inputs.filter as TensorInfo;
  const attrs = kernelAttrs<ConvAttrs>(args.attrs);
  if (attrs.dataFormat !== 'NHWC' || x.dtype !== 'float32' || filter.dtype !== 'float32') return runStockKernel(Conv2D, args);
  const info = convInfoFor(x.shape, filter.shape, attrs, attrs.dilations);
  const backend = cpuBackendOf(args.backend);
  const xv = valuesOf(backend, x) as Float32Array;
  const wv = valuesOf(backend, filter) as Float32Array;
  const size = info.outShape.reduce((a, b) => a * b, 1);
  const ci = info.inChannels,
    co = info.outChannels,
    lda = info.strideWidth * ci;
  const y = accumulateTaps(
    info,
    size,
    xv,
    wv,
    (_k, _a, xAt, wAt) => (yAt, xOff, yOff, wOff, rows) => ({
      name: 'gemm',
      args: [rows, co, ci, xAt + 4 * xOff, lda, wAt + 4 * wOff, co, yAt + 4 * yOff, co],
    }),
    (out) => (xOff, yOff, wOff, rows) => gemmNN(rows, co, ci, xv, xOff, lda, wv, wOff, co, out, yOff, co),
  );
  return backend.makeTensorInfo(info.outShape, 'float32', y);
};

export const conv2dBackpropFilterCpu: KernelFunc = (args) => {
  const x = args.inputs.x as TensorInfo;
  const dy = args.inputs.dy as TensorInfo;
  const attrs = kernelAttrs<ConvAttrs>(args.attrs);
  if (attrs.dataFormat !== 'NHWC' || x.dtype !== 'float32' || dy.dtype !== 'float32' || attrs.filterShape === undefined) {
    return runStockKernel(Conv2DBackpropFilter, args);
  }
  const info = convInfoFor(x.shape, attrs.filterShape, attrs, 1);
  const backend = cpuBackendOf(args.backend);
  const xv = valuesOf(backend, x) as Float32Array;
  const dyv = valuesOf(backend, dy) as Float32Array;
  const size = attrs.filterShape.reduce((a, b) => a * b, 1);
  const ci = info.inChannels,
    co = info.outChannels,
    lda = info.strideWidth * ci;
  const dw = accumulateTaps(
    info,
    size,
    xv,
    dyv,
    (_k, _a, xAt, dyAt) => (dwAt, xOff, yOff, wOff, rows) => ({
      name: 'gemmTN',
      args: [ci, co, rows, xAt + 4 * xOff, lda, dyAt + 4 * yOff, co, dwAt + 4 * wOff, co],
    }),
    (out) => (xOff, yOff, wOff, rows) => gemmTN(ci, co, rows, xv, xOff, lda, dyv, yOff, co, out, wOff, co),
    true,
  );
  return backend.makeTensorInfo(attrs.filterShape, 'float32', dw);
};

export const conv2dBackpropInputCpu: KernelFunc = (args) => {
  const dy = args.inputs.dy as TensorInfo;
  const filter = args.inputs.filter as TensorInfo;
  const attrs = kernelAttrs<ConvAttrs>(args.attrs);
  if (attrs.dataFormat !== 'NHWC' || dy.dtype !== 'float32' || filter.dtype !== 'float32' || attrs.inputShape === undefined) {
    return runStockKernel(Conv2DBackpropInput, args);
  }
  const info = convInfoFor(attrs.inputShape, filter.shape, attrs, 1);
  const backend = cpuBackendOf(args.backend);
  const dyv = valuesOf(backend, dy) as Float32Array;
  const wv = valuesOf(backend, filter) as Float32Array;
  const size = attrs.inputShape.reduce((a, b) => a * b, 1);
  const ci = info.inChannels,
    co = info.outChannels,
    ldc = info.strideWidth * ci;
  const taps = info.filterHeight * info.filterWidth;
  const dx = accumulateTaps(
    info,
    size,
    dyv,
    wv,
    (k, arena, dyAt, wAt) => {
      // Each tap's [ci, co] slice transposed once, so every product reads it row by row.
      const wtAt = arena.alloc(taps * ci * co);
      for (let t = 0; t < taps; t++) k.transpose(ci, co, wAt + 4 * t * ci * co, wtAt + 4 * t * ci * co);
      return (dxAt, xOff, yOff, wOff, rows) => ({
        name: 'gemm',
        args: [rows, ci, co, dyAt + 4 * yOff, co, wtAt + 4 * wOff, ci, dxAt + 4 * xOff, ldc],
      });
    },
    (out) => (xOff, yOff, wOff, rows) => gemmNT(rows, ci, co, dyv, yOff, co, wv, wOff, co, out, xOff, ldc),
  );
  return backend.makeTensorInfo(attrs.inputShape, 'float32', dx);
};

export const conv2dConfigs: KernelConfig[] = [
  { kernelName: Conv2D, backendName: 'cpu', kernelFunc: conv2dCpu },
  { kernelName: Conv2DBackpropFilter, backendName: 'cpu', kernelFunc: conv2dBackpropFilterCpu },
  { kernelName: Conv2DBackpropInput, backendName: 'cpu', kernelFunc: conv2dBackpropInputCpu },
];
