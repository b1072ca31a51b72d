// Dense matrix products over Float32Arrays for the convolution kernels and the fused recurrent
// layers of @seqlearn/models. All are row-major with explicit offsets and leading dimensions,
// so slices of a larger buffer (gate blocks, strided image rows) are multiplied in place
// without copies. Each accumulates into C (C += ...), which is what backpropagation needs.
// The k loop is unrolled by four so that each element of C is loaded and stored a quarter as
// often: that, not the multiplies, is what bounds these loops in V8.
//
// Products big enough to repay packing go to the WebAssembly SIMD kernel (asm/gemm.ts) when
// the module is built: the operands are packed into its memory (B transposed there when it
// comes transposed) and the result is added back. Large ones split over the two threads.

import { wasmArena, wasmKernels, type WasmKernels } from './wasm-kernels.js';
import { inParallel, wasmThreads, type KernelCall } from './wasm-threads.js';

const K_CHUNK = 256;
/** Below this many multiply-adds, packing costs more than SIMD saves. */
const WASM_MIN_WORK = 8192;

/** True when products run in the WebAssembly SIMD kernel. */
export function gemmUsesWasm(): boolean {
  return wasmKernels() !== null;
}

/** From this many multiply-adds, a product's rows split over the two threads. */
const THREADED_MIN_WORK = 1 << 22;

/**
 * C[M,N] += op(A) · B on operands already in the module's memory (byte addresses, row strides
 * in floats): A is [M,K], or [K,M] read down its columns when `transA`. Rows of C split over
 * the two threads when the product is large (they write disjoint rows, so the result is the
 * same); K goes in chunks, so the slice of B each pass streams through stays in cache (Aᵀ·B
 * over a whole sequence has K in the tens of thousands). With `zeroC` (C's rows contiguous,
 * ldc = N) C's values are replaced instead.
 */
export function gemmInModule(
  kernels: WasmKernels,
  M: number,
  N: number,
  K: number,
  aAt: number,
  lda: number,
  transA: boolean,
  bAt: number,
  ldb: number,
  cAt: number,
  ldc: number,
  zeroC = false,
): void {
  const split = M >= 8 && M * N * K >= THREADED_MIN_WORK && wasmThreads() > 1 ? (M >> 1) & ~1 : 0;
  const rows = (from: number, to: number): KernelCall[] => {
    // C = op(A)·B rather than +=: each thread first clears its own rows.
    const calls: KernelCall[] = zeroC ? [{ name: 'zeroFloats', args: [cAt + from * ldc * 4, (to - from) * ldc] }] : [];
    for (let k0 = 0; k0 < K; k0 += K_CHUNK) {
      const kc = Math.min(K_CHUNK, K - k0);
      const a = transA ? aAt + (k0 * lda + from) * 4 : aAt + (from * lda + k0) * 4;
      calls.push({
        name: transA ? 'gemmTN' : 'gemm',
        args: [to - from, N, kc, a, lda, bAt + k0 * ldb * 4, ldb, cAt + from * ldc * 4, ldc],
      });
    }
    return calls;
  };
  inParallel(kernels, split > 0 ? rows(0, split) : [], rows(split, M));
}

/** C[M,N] += op(A) · op(B) through the SIMD kernel; op transposes when the flag says so. */
function wasmGemm(
  kernels: WasmKernels,
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  transA: boolean,
  B: Float32Array,
  bOff: number,
  ldb: number,
  transB: boolean,
  C: Float32Array,
  cOff: number,
  ldc: number,
): void {
  const Np = (N + 3) & ~3;
  const arena = (wasmArena as NonNullable<typeof wasmArena>).start();
  // A is copied as it is stored, row-major [M, K] or [K, M]: the kernel's Aᵀ form reads the
  // latter down its columns at no extra cost, so no transposing copy. When its rows touch or
  // overlap (lda ≤ row length: a convolution's input read as overlapping windows), the whole
  // span goes in one copy and keeps its stride, rather than row by row at full width.
  const aRows = transA ? K : M;
  const aCols = transA ? M : K;
  const asSpan = lda <= aCols;
  const aLd = asSpan ? lda : aCols;
  const aSize = asSpan ? (aRows - 1) * lda + aCols : aRows * aCols;
  const aAt = arena.alloc(aSize);
  const bAt = arena.alloc(K * Np);
  // C goes in and comes back whole when its rows need no padding: two copies instead of a
  // zeroed block added back element by element in JavaScript.
  const copyC = Np === N;
  const cAt = arena.alloc(M * Np, !copyC);
  const f = arena.floats();
  const aP = aAt / 4;
  const bP = bAt / 4;
  const cP = cAt / 4;
  if (copyC) {
    if (ldc === N) f.set(C.subarray(cOff, cOff + M * N), cP);
    else for (let i = 0; i < M; i++) f.set(C.subarray(cOff + i * ldc, cOff + i * ldc + N), cP + i * N);
  }
  if (asSpan) f.set(A.subarray(aOff, aOff + aSize), aP);
  else for (let r = 0; r < aRows; r++) f.set(A.subarray(aOff + r * lda, aOff + r * lda + aCols), aP + r * aCols);
  if (!transB) {
    for (let k = 0; k < K; k++) {
      f.set(B.subarray(bOff + k * ldb, bOff + k * ldb + N), bP + k * Np);
      if (Np > N) f.fill(0, bP + k * Np + N, bP + (k + 1) * Np);
    }
  } else {
    if (Np > N) f.fill(0, bP, bP + K * Np);
    for (let j = 0; j < N; j++) {
      const src = bOff + j * ldb;
      for (let k = 0; k < K; k++) f[bP + k * Np + j] = B[src + k];
    }
  }
  gemmInModule(kernels, M, Np, K, aAt, aLd, transA, bAt, Np, cAt, Np);
  if (copyC) {
    if (ldc === N) C.set(f.subarray(cP, cP + M * N), cOff);
    else for (let i = 0; i < M; i++) C.set(f.subarray(cP + i * N, cP + (i + 1) * N), cOff + i * ldc);
    return;
  }
  for (let i = 0; i < M; i++) {
    const src = cP + i * Np;
    const dst = cOff + i * ldc;
    for (let j = 0; j < N; j++) C[dst + j] += f[src + j];
  }
}

/** C[M,N] += A[M,K] · B[K,N] */
export function gemmNN(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  B: Float32Array,
  bOff: number,
  ldb: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
): void {
  const kernels = wasmKernels();
  if (kernels !== null && M * N * K >= WASM_MIN_WORK) {
    wasmGemm(kernels, M, N, K, A, aOff, lda, false, B, bOff, ldb, false, C, cOff, ldc);
    return;
  }
  const K4 = K - (K % 4);
  for (let i = 0; i < M; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let k = 0;
    for (; k < K4; k += 4) {
      const a0 = A[ai + k],
        a1 = A[ai + k + 1],
        a2 = A[ai + k + 2],
        a3 = A[ai + k + 3];
      const b0 = bOff + k * ldb,
        b1 = b0 + ldb,
        b2 = b1 + ldb,
        b3 = b2 + ldb;
      for (let j = 0; j < N; j++) {
        C[ci + j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j];
      }
    }
    for (; k < K; k++) {
      const a = A[ai + k];
      const bk = bOff + k * ldb;
      for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
    }
  }
}

/** C[M,N] += A[M,K] · B[N,K]ᵀ */
export function gemmNT(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  B: Float32Array,
  bOff: number,
  ldb: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
): void {
  const kernels = wasmKernels();
  if (kernels !== null && M * N * K >= WASM_MIN_WORK) {
    wasmGemm(kernels, M, N, K, A, aOff, lda, false, B, bOff, ldb, true, C, cOff, ldc);
    return;
  }
  const N4 = N - (N % 4);
  for (let i = 0; i < M; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let j = 0;
    for (; j < N4; j += 4) {
      const b0 = bOff + j * ldb,
        b1 = b0 + ldb,
        b2 = b1 + ldb,
        b3 = b2 + ldb;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let k = 0; k < K; k++) {
        const a = A[ai + k];
        s0 += a * B[b0 + k];
        s1 += a * B[b1 + k];
        s2 += a * B[b2 + k];
        s3 += a * B[b3 + k];
      }
      C[ci + j] += s0;
      C[ci + j + 1] += s1;
      C[ci + j + 2] += s2;
      C[ci + j + 3] += s3;
    }
    for (; j < N; j++) {
      const bj = bOff + j * ldb;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[ai + k] * B[bj + k];
      C[ci + j] += s;
    }
  }
}

/** C[M,N] += A[K,M]ᵀ · B[K,N] */
export function gemmTN(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  B: Float32Array,
  bOff: number,
  ldb: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
): void {
  const kernels = wasmKernels();
  if (kernels !== null && M * N * K >= WASM_MIN_WORK) {
    wasmGemm(kernels, M, N, K, A, aOff, lda, true, B, bOff, ldb, false, C, cOff, ldc);
    return;
  }
  const K4 = K - (K % 4);
  let k = 0;
  for (; k < K4; k += 4) {
    const a0 = aOff + k * lda,
      a1 = a0 + lda,
      a2 = a1 + lda,
      a3 = a2 + lda;
    const b0 = bOff + k * ldb,
      b1 = b0 + ldb,
      b2 = b1 + ldb,
      b3 = b2 + ldb;
    for (let i = 0; i < M; i++) {
      const x0 = A[a0 + i],
        x1 = A[a1 + i],
        x2 = A[a2 + i],
        x3 = A[a3 + i];
      const ci = cOff + i * ldc;
      for (let j = 0; j < N; j++) {
        C[ci + j] += x0 * B[b0 + j] + x1 * B[b1 + j] + x2 * B[b2 + j] + x3 * B[b3 + j];
      }
    }
  }
  for (; k < K; k++) {
    const ak = aOff + k * lda;
    const bk = bOff + k * ldb;
    for (let i = 0; i < M; i++) {
      const x = A[ak + i];
      const ci = cOff + i * ldc;
      for (let j = 0; j < N; j++) C[ci + j] += x * B[bk + j];
    }
  }
}
