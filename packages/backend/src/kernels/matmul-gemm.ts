// Dense matrix products over Float32Arrays for the convolution kernels and the fused recurrent
// layers of @seqlearn/models. All are row-major with explicit offsets and leading dimensions,
// so slices of a larger buffer (gate blocks, strided image rows) are multiplied in place
// without copies. Each accumulates into C (C += ...), which is what backpropagation needs.
// The k loop is unrolled by four so that each element of C is loaded and stored a quarter as
// often: that, not the multiplies, is what bounds these loops in V8.

/** C[M,N] += A[M,K] · B[K,N] */
export function gemmNN(
  M: number, N: number, K: number,
  A: Float32Array, aOff: number, lda: number,
  B: Float32Array, bOff: number, ldb: number,
  C: Float32Array, cOff: number, ldc: number,
): void {
  const K4 = K - (K % 4);
  for (let i = 0; i < M; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let k = 0;
    for (; k < K4; k += 4) {
      const a0 = A[ai + k], a1 = A[ai + k + 1], a2 = A[ai + k + 2], a3 = A[ai + k + 3];
      const b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
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
  M: number, N: number, K: number,
  A: Float32Array, aOff: number, lda: number,
  B: Float32Array, bOff: number, ldb: number,
  C: Float32Array, cOff: number, ldc: number,
): void {
  const N4 = N - (N % 4);
  for (let i = 0; i < M; i++) {
    const ai = aOff + i * lda;
    const ci = cOff + i * ldc;
    let j = 0;
    for (; j < N4; j += 4) {
      const b0 = bOff + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
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
  M: number, N: number, K: number,
  A: Float32Array, aOff: number, lda: number,
  B: Float32Array, bOff: number, ldb: number,
  C: Float32Array, cOff: number, ldc: number,
): void {
  const K4 = K - (K % 4);
  let k = 0;
  for (; k < K4; k += 4) {
    const a0 = aOff + k * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const b0 = bOff + k * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
    for (let i = 0; i < M; i++) {
      const x0 = A[a0 + i], x1 = A[a1 + i], x2 = A[a2 + i], x3 = A[a3 + i];
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
