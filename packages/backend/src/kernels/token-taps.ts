// An Embedding → Conv1D pair run on the distinct tokens of a batch, for @seqlearn/models'
// compiled training step. With `rows` the batch's distinct embedding rows ([tokens, channels])
// and `wide` the kernel as [channels, taps·filters] (every tap's matrix side by side), the
// product P = rows · wide holds, in row s, token s's product with each tap: tap k's block at
// k·filters. `slots[b, i]` is the row of the token at step i of sequence b, and output step t
// adds block k of the token at t + k.
//
// In WebAssembly the product and its gradient H (the same shape) stay in the module's memory
// from one pass to the next: each is megabytes, and copying them out and back in cost more
// than the products. The loops over steps split over the two threads: by sequence going
// forward, by token going back (each thread adds into its own rows, in the same order as one
// thread would).

import { gatherTableRows } from './gather.js';
import { gemmInModule, gemmNN, gemmNT, gemmTN } from './matmul-gemm.js';
import { wasmArena, wasmKernels, type WasmArena, type WasmFrame, type WasmKernels } from './wasm-kernels.js';
import { inParallel, wasmThreads, type KernelCall } from './wasm-threads.js';

export interface TokenTapShape {
  batch: number;
  steps: number;
  taps: number;
  filters: number;
  /** The embedding's width: the columns of `rows`. */
  channels: number;
}

/**
 * What the forward sums end with: `out = act(bias + Σ)` rather than `out += Σ`. The bias (a
 * row of `filters`, or null) and Relu go in the same pass over each sequence's outputs.
 */
export interface TokenTapEpilogue {
  bias: Float32Array | null;
  relu: boolean;
}

/**
 * What the backward pass starts with: dz zeroed where the Relu outputs `activations` are not
 * positive (when given; dz is changed in place), and the bias's gradient, `biasGrad` += the
 * column sums of dz (when given), in the same pass.
 */
export interface TokenTapPrologue {
  activations: Float32Array | null;
  biasGrad: Float32Array | null;
}

/** The rows `table[tokens[u]]` of an embedding table (`channels` floats a row), gathered where they are used. */
export interface TableRows {
  table: Float32Array;
  tokens: Int32Array;
}

/**
 * What a forward pass left in the module for its backward pass (sumTokenTapProducts with
 * `keep`): the batch's rows, its slots and the outputs as returned. Passing it to
 * tokenTapGradients saves copying them in again, and releases them.
 */
export interface TokenTapFrame {
  readonly frame: WasmFrame;
  readonly rowsAt: number;
  readonly slotsAt: number;
  readonly outAt: number;
}

function tokenCount(rows: Float32Array | TableRows, channels: number): number {
  return rows instanceof Float32Array ? rows.length / channels : rows.tokens.length;
}

function rowsArray(rows: Float32Array | TableRows, channels: number): Float32Array {
  return rows instanceof Float32Array ? rows : gatherTableRows(rows.table, rows.tokens, channels);
}

/**
 * out (`[batch, steps − taps + 1, filters]`) += Σ_k (rows · wide)[slots[b, t + k], block k];
 * with an epilogue, out = act(bias + Σ) instead (out's values are not read). With `keep` (and
 * the WebAssembly kernels), the rows, slots and outputs stay in the module for
 * tokenTapGradients, which must then be given the returned frame (else it is kept until
 * releaseTokenTapFrame).
 */
export function sumTokenTapProducts(
  shape: TokenTapShape,
  slots: Int32Array,
  rows: Float32Array | TableRows,
  wide: Float32Array,
  out: Float32Array,
  epilogue?: TokenTapEpilogue,
  keep = false,
): TokenTapFrame | null {
  const { batch, steps, taps, filters, channels } = shape;
  const width = taps * filters;
  const tokens = tokenCount(rows, channels);
  const kernels = wasmKernels();
  if (kernels !== null && wasmArena !== null) {
    const arena = wasmArena.start();
    // What the backward pass reads again goes first, so that it can be kept as one frame.
    const mark = arena.mark();
    const rowsAt = arena.alloc(tokens * channels);
    const slotsAt = arena.putInt32(slots);
    // Without an epilogue the sums go onto out's values; with one, the kernel sets each row first.
    const outAt = epilogue === undefined ? arena.put(out) : arena.alloc(out.length);
    const frame = keep ? arena.keep(mark) : null;
    try {
      if (rows instanceof Float32Array) arena.floats().set(rows, rowsAt / 4);
      else kernels.gatherRows(arena.put(rows.table), arena.putInt32(rows.tokens), tokens, channels, rowsAt);
      const wideAt = arena.put(wide),
        productAt = arena.alloc(tokens * width);
      gemmInModule(kernels, tokens, width, channels, rowsAt, channels, false, wideAt, width, productAt, width, true);
      const init = epilogue === undefined ? 0 : 1;
      const biasAt = epilogue !== undefined && epilogue.bias !== null ? arena.put(epilogue.bias) : 0;
      const relu = epilogue?.relu === true ? 1 : 0;
      const half = wasmThreads() > 1 ? batch >> 1 : 0;
      const call = (from: number, to: number) => ({
        name: 'tokenTapSum' as const,
        args: [steps, taps, filters, slotsAt, productAt, outAt, from, to, init, biasAt, relu],
      });
      inParallel(kernels, half > 0 ? [call(0, half)] : [], [call(half, batch)]);
      out.set(arena.floats().subarray(outAt / 4, outAt / 4 + out.length));
    } catch (error) {
      // A failed pass keeps nothing: its caller never sees the frame to release it.
      if (frame !== null) arena.drop(frame);
      throw error;
    }
    return frame === null ? null : { frame, rowsAt, slotsAt, outAt };
  }
  const product = new Float32Array(tokens * width);
  gemmNN(tokens, width, channels, rowsArray(rows, channels), 0, channels, wide, 0, width, product, 0, width);
  if (epilogue !== undefined) {
    const bias = epilogue.bias;
    if (bias === null) out.fill(0);
    else for (let at = 0; at < out.length; at += filters) out.set(bias, at);
  }
  const pairs = tapPairs(shape, slots);
  for (let p = 0; p < pairs.length; p += 2) {
    const o = pairs[p],
      from = pairs[p + 1];
    for (let f = 0; f < filters; f++) out[o + f] += product[from + f];
  }
  if (epilogue?.relu === true) for (let i = 0; i < out.length; i++) out[i] *= +(out[i] > 0);
  return null;
}

/** Gives back what a forward pass kept, when no backward pass took it (a failed step). */
export function releaseTokenTapFrame(kept: TokenTapFrame): void {
  wasmArena?.drop(kept.frame);
}

/**
 * The transpose: H[slots[b, t + k], block k] += dz[b, t, :], then wideGrad += rowsᵀ · H and
 * rowsGrad += H · wideᵀ, each when given (a frozen embedding needs no rowsGrad). When `rows`
 * are TableRows (distinct tokens), rowsGrad is the table's gradient, `[table rows, channels]`,
 * and row u of H · wideᵀ goes onto its token's row: rowsGrad[tokens[u]] += (H · wideᵀ)[u]. `kept`, the
 * forward pass's frame for the same batch, supplies the rows, the slots and (for the
 * prologue's activations, which must then be that pass's outputs) the outputs, and is released.
 */
export function tokenTapGradients(
  shape: TokenTapShape,
  slots: Int32Array,
  dz: Float32Array,
  rows: Float32Array | TableRows,
  wide: Float32Array,
  wideGrad: Float32Array | null,
  rowsGrad: Float32Array | null,
  prologue?: TokenTapPrologue,
  kept: TokenTapFrame | null = null,
): void {
  const activations = prologue?.activations ?? null;
  const biasGrad = prologue?.biasGrad ?? null;
  const kernels = wasmKernels();
  try {
    if (kernels !== null && wasmArena !== null) {
      const frame = kept !== null && kept.frame.live ? kept : null;
      wasmGradients(kernels, wasmArena, shape, slots, dz, rows, wide, wideGrad, rowsGrad, activations, biasGrad, frame);
    } else {
      const used = rows instanceof Float32Array || rowsGrad === null ? rowsGrad : new Float32Array(rows.tokens.length * shape.channels);
      jsGradients(shape, slots, dz, rowsArray(rows, shape.channels), wide, wideGrad, used, activations, biasGrad);
      if (!(rows instanceof Float32Array) && rowsGrad !== null && used !== null) addRowsAt(used, rows.tokens, shape.channels, rowsGrad);
    }
  } finally {
    if (kept !== null) releaseTokenTapFrame(kept);
  }
}

function wasmGradients(
  kernels: WasmKernels,
  arenaOf: WasmArena,
  shape: TokenTapShape,
  slots: Int32Array,
  dz: Float32Array,
  rows: Float32Array | TableRows,
  wide: Float32Array,
  wideGrad: Float32Array | null,
  rowsGrad: Float32Array | null,
  activations: Float32Array | null,
  biasGrad: Float32Array | null,
  kept: TokenTapFrame | null,
): void {
  const { batch, steps, taps, filters, channels } = shape;
  const width = taps * filters;
  const tokens = tokenCount(rows, channels);
  const arena = arenaOf.start();
  const slotsAt = kept === null ? arena.putInt32(slots) : kept.slotsAt,
    dzAt = arena.put(dz),
    perTokenAt = arena.alloc(tokens * width);
  if (activations !== null || biasGrad !== null) {
    const actAt = activations === null ? 0 : kept === null ? arena.put(activations) : kept.outAt;
    const sumsAt = biasGrad === null ? 0 : arena.put(biasGrad);
    kernels.reluGradColumnSums(actAt, dzAt, dz.length / filters, filters, sumsAt);
    if (biasGrad !== null) biasGrad.set(arena.floats().subarray(sumsAt / 4, sumsAt / 4 + filters));
  }
  const half = wasmThreads() > 1 ? tokens >> 1 : 0;
  // Each thread clears the rows of H it sums into, then sums.
  const calls = (from: number, to: number): KernelCall[] => [
    { name: 'zeroFloats', args: [perTokenAt + from * width * 4, (to - from) * width] },
    { name: 'tokenTapScatter', args: [batch, steps, taps, filters, slotsAt, dzAt, perTokenAt, from, to] },
  ];
  inParallel(kernels, half > 0 ? calls(0, half) : [], calls(half, tokens));
  const memory = () => arena.floats();
  if (wideGrad !== null) {
    let rowsAt = kept === null ? -1 : kept.rowsAt;
    if (rowsAt < 0 && rows instanceof Float32Array) rowsAt = arena.put(rows);
    else if (rowsAt < 0 && !(rows instanceof Float32Array)) {
      rowsAt = arena.alloc(tokens * channels);
      kernels.gatherRows(arena.put(rows.table), arena.putInt32(rows.tokens), tokens, channels, rowsAt);
    }
    const gradAt = arena.put(wideGrad);
    gemmInModule(kernels, channels, width, tokens, rowsAt, channels, true, perTokenAt, width, gradAt, width);
    wideGrad.set(memory().subarray(gradAt / 4, gradAt / 4 + wideGrad.length));
  }
  if (rowsGrad !== null) {
    const wideTAt = arena.put(transposed(wide, channels, width)),
      gradAt = arena.put(rowsGrad);
    if (rows instanceof Float32Array) {
      gemmInModule(kernels, tokens, channels, width, perTokenAt, width, false, wideTAt, channels, gradAt, channels);
    } else {
      // The used rows' gradients, then each added onto its token's row of the table's.
      const usedAt = arena.alloc(tokens * channels);
      gemmInModule(kernels, tokens, channels, width, perTokenAt, width, false, wideTAt, channels, usedAt, channels, true);
      kernels.scatterAddRows(usedAt, arena.putInt32(rows.tokens), tokens, channels, gradAt);
    }
    rowsGrad.set(memory().subarray(gradAt / 4, gradAt / 4 + rowsGrad.length));
  }
}

function jsGradients(
  shape: TokenTapShape,
  slots: Int32Array,
  dz: Float32Array,
  rows: Float32Array,
  wide: Float32Array,
  wideGrad: Float32Array | null,
  rowsGrad: Float32Array | null,
  activations: Float32Array | null,
  biasGrad: Float32Array | null,
): void {
  const { taps, filters, channels } = shape;
  const width = taps * filters;
  const tokens = rows.length / channels;
  if (activations !== null) for (let i = 0; i < dz.length; i++) dz[i] *= +(activations[i] > 0);
  if (biasGrad !== null) {
    for (let at = 0; at < dz.length; at += filters) for (let f = 0; f < filters; f++) biasGrad[f] += dz[at + f];
  }
  const perToken = new Float32Array(tokens * width);
  const pairs = tapPairs(shape, slots);
  for (let p = 0; p < pairs.length; p += 2) {
    const o = pairs[p],
      to = pairs[p + 1];
    for (let f = 0; f < filters; f++) perToken[to + f] += dz[o + f];
  }
  if (wideGrad !== null) gemmTN(channels, width, tokens, rows, 0, channels, perToken, 0, width, wideGrad, 0, width);
  if (rowsGrad !== null) gemmNT(tokens, channels, width, perToken, 0, width, wide, 0, width, rowsGrad, 0, channels);
}

/**
 * Where each (input step, tap) pair meets in the JavaScript loops: the output step's offset
 * and the table block's, in the order the WebAssembly loops visit them (input steps in order,
 * each reading or writing its token's whole row), so both add in the same order.
 */
function tapPairs(shape: TokenTapShape, slots: Int32Array): Int32Array {
  const { batch, steps, taps, filters } = shape;
  const outSteps = steps - taps + 1;
  const pairs = new Int32Array(2 * batch * outSteps * taps);
  let p = 0;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < steps; i++) {
      const row = slots[b * steps + i] * taps * filters;
      const kEnd = i < taps ? i + 1 : taps;
      for (let k = i >= outSteps ? i - outSteps + 1 : 0; k < kEnd; k++) {
        pairs[p++] = (b * outSteps + i - k) * filters;
        pairs[p++] = row + k * filters;
      }
    }
  }
  return pairs;
}

/** table[tokens[u], :] += rows[u, :] (rows of `width` floats). */
function addRowsAt(rows: Float32Array, tokens: Int32Array, width: number, table: Float32Array): void {
  for (let u = 0; u < tokens.length; u++) {
    const to = tokens[u] * width;
    const from = u * width;
    for (let j = 0; j < width; j++) table[to + j] += rows[from + j];
  }
}

/** `[rows, cols]` → `[cols, rows]`. */
function transposed(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
  return t;
}
