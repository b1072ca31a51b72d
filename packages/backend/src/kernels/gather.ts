import { GatherV2, type GatherV2Attrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { cpuBackendOf, kernelAttrs, valuesOf } from './cpu-backend.js';
import { runStockKernel } from './stock-kernels.js';
import { wasmForPass } from './wasm-kernels.js';

/**
 * `GatherV2` as block copies: every Embedding lookup runs through it. The stock cpu kernel
 * converts each output element's flat index to coordinates and back, which costs about a
 * third of a second for one IMDB batch (128 × 500 tokens × 32 floats); here each gathered
 * slice is one row copy.
 *
 * Large float32 gathers along the first axis (every Embedding) copy their rows in the
 * WebAssembly module, four floats at a time.
 *
 * Same results as the stock kernel, including its error for an index outside
 * [0, x.shape[axis] - 1]. `batchDims` other than 0, and dtypes other than float32 and
 * int32, go to the stock kernel.
 */
export const gatherV2Cpu: KernelFunc = (args) => {
  const { inputs, attrs } = args;
  const x = inputs.x as TensorInfo;
  const indices = inputs.indices as TensorInfo;
  const { axis: axisAttr, batchDims } = kernelAttrs<GatherV2Attrs>(attrs);
  const axis = axisAttr < 0 ? axisAttr + x.shape.length : axisAttr;

  if (
    batchDims !== 0 ||
    (x.dtype !== 'float32' && x.dtype !== 'int32') ||
    indices.dtype !== 'int32' ||
    axis < 0 ||
    axis >= x.shape.length
  ) {
    return runStockKernel(GatherV2, args);
  }

  const backend = cpuBackendOf(args.backend);
  const xValues = valuesOf(backend, x);
  const ids = valuesOf(backend, indices);
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const axisSize = x.shape[axis];
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const count = ids.length;

  for (let i = 0; i < count; i++) {
    const id = ids[i];
    if (id < 0 || id >= axisSize) {
      throw new Error(`GatherV2: the index value ${id} is not in [0, ${axisSize - 1}]`);
    }
  }

  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  if (outer === 1 && x.dtype === 'float32')
    return backend.makeTensorInfo(shape, 'float32', gatherTableRows(xValues as Float32Array, ids as Int32Array, inner));
  const out = x.dtype === 'float32' ? new Float32Array(outer * count * inner) : new Int32Array(outer * count * inner);
  gatherRows(xValues as Float32Array | Int32Array, ids as Int32Array, out, outer, axisSize, inner);
  return backend.makeTensorInfo(shape, x.dtype, out);
};

/**
 * out[i, :] = table[ids[i], :] for rows of `width` floats: an Embedding lookup (also used by
 * @seqlearn/models' compiled training step). The caller has checked the ids.
 */
export function gatherTableRows(table: Float32Array, ids: Int32Array, width: number): Float32Array {
  const inWasm = gatherRowsInWasm(table, ids, width);
  if (inWasm !== null) return inWasm;
  const out = new Float32Array(ids.length * width);
  gatherRows(table, ids, out, 1, table.length / width, width);
  return out;
}

/** Rows of a float32 table gathered along its first axis in the WebAssembly module; null to stay in JavaScript. */
function gatherRowsInWasm(table: Float32Array, ids: Int32Array, inner: number): Float32Array | null {
  const wasm = wasmForPass(ids.length * inner);
  if (wasm === null) return null;
  const { kernels, arena } = wasm;
  const tableAt = arena.put(table),
    idsAt = arena.putInt32(ids),
    outAt = arena.alloc(ids.length * inner);
  kernels.gatherRows(tableAt, idsAt, ids.length, inner, outAt);
  return arena.take(outAt, ids.length * inner);
}

const LONG_ROW = 64;

/**
 * The copy loop, in a function of its own so V8 sees concrete typed arrays here rather than
 * the backend's union of every storage type, which would make each element access generic.
 */
function gatherRows(
  x: Float32Array | Int32Array,
  ids: Int32Array,
  out: Float32Array | Int32Array,
  outer: number,
  axisSize: number,
  inner: number,
): void {
  const count = ids.length;
  for (let o = 0; o < outer; o++) {
    const srcBase = o * axisSize * inner;
    const dstBase = o * count * inner;
    for (let i = 0; i < count; i++) {
      const src = srcBase + ids[i] * inner;
      const dst = dstBase + i * inner;
      // Short rows (an embedding's usual width) copy fastest in a plain loop; long ones as a
      // block, where the subarray each costs is repaid.
      if (inner < LONG_ROW) for (let j = 0; j < inner; j++) out[dst + j] = x[src + j];
      else out.set(x.subarray(src, src + inner), dst);
    }
  }
}

export const gatherV2Config: KernelConfig = { kernelName: GatherV2, backendName: 'cpu', kernelFunc: gatherV2Cpu };
