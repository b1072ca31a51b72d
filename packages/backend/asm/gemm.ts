// Matrix products on row-major float32 matrices in linear memory, always accumulating
// (C += ...), which is what backpropagation needs. Strides are in floats, so blocks of a
// larger matrix (one gate's columns, one timestep's rows) multiply in place.
//
// One register-blocked loop serves both forms: two rows of C by sixteen columns stay in
// eight f32x4 registers across the whole k loop, so each vector of B loaded feeds two
// products. A·B reads A along its rows; Aᵀ·B reads the stored A down its columns, which
// costs nothing extra because each k step loads one scalar of A per row anyway.
// Columns beyond the last multiple of sixteen go four at a time, then one at a time.

// @ts-nocheck: AssemblyScript types (i32, usize, v128, f32x4) are not TypeScript's.

/** C[M,N] += A[M,K] · B[K,N] */
export function gemm(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  product(M, N, K, a, (<usize>lda) << 2, 4, b, ldb, c, ldc);
}

/** C[M,N] += A[K,M]ᵀ · B[K,N] */
export function gemmTN(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  product(M, N, K, a, 4, (<usize>lda) << 2, b, ldb, c, ldc);
}

/** dst[cols, rows] = src[rows, cols]ᵀ */
export function transpose(rows: i32, cols: i32, src: usize, dst: usize): void {
  for (let r = 0; r < rows; r++) {
    const s: usize = src + ((<usize>(r * cols)) << 2);
    for (let k = 0; k < cols; k++) store<f32>(dst + ((<usize>(k * rows + r)) << 2), load<f32>(s + ((<usize>k) << 2)));
  }
}

/** A's element (i, k) sits at a + i·rowStep + k·kStep (bytes). */
// @ts-ignore: decorator
@inline
function product(M: i32, N: i32, K: i32, a: usize, rowStep: usize, kStep: usize, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const rowB: usize = (<usize>ldb) << 2;
  const rowC: usize = (<usize>ldc) << 2;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0: usize = a + <usize>i * rowStep;
    const a1: usize = a0 + rowStep;
    const c0: usize = c + <usize>i * rowC;
    const c1: usize = c0 + rowC;
    let j = 0;
    for (; j + 16 <= N; j += 16) {
      const o: usize = (<usize>j) << 2;
      let p0 = v128.load(c0 + o), p1 = v128.load(c0 + o, 16), p2 = v128.load(c0 + o, 32), p3 = v128.load(c0 + o, 48);
      let q0 = v128.load(c1 + o), q1 = v128.load(c1 + o, 16), q2 = v128.load(c1 + o, 32), q3 = v128.load(c1 + o, 48);
      let pa0 = a0, pa1 = a1;
      let pb: usize = b + o;
      for (let k = 0; k < K; k++) {
        const x = v128.load32_splat(pa0);
        const y = v128.load32_splat(pa1);
        const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
        p0 = f32x4.add(p0, f32x4.mul(x, b0));
        p1 = f32x4.add(p1, f32x4.mul(x, b1));
        p2 = f32x4.add(p2, f32x4.mul(x, b2));
        p3 = f32x4.add(p3, f32x4.mul(x, b3));
        q0 = f32x4.add(q0, f32x4.mul(y, b0));
        q1 = f32x4.add(q1, f32x4.mul(y, b1));
        q2 = f32x4.add(q2, f32x4.mul(y, b2));
        q3 = f32x4.add(q3, f32x4.mul(y, b3));
        pa0 += kStep;
        pa1 += kStep;
        pb += rowB;
      }
      v128.store(c0 + o, p0); v128.store(c0 + o, p1, 16); v128.store(c0 + o, p2, 32); v128.store(c0 + o, p3, 48);
      v128.store(c1 + o, q0); v128.store(c1 + o, q1, 16); v128.store(c1 + o, q2, 32); v128.store(c1 + o, q3, 48);
    }
    for (; j + 4 <= N; j += 4) {
      const o: usize = (<usize>j) << 2;
      let p = v128.load(c0 + o);
      let q = v128.load(c1 + o);
      let pa0 = a0, pa1 = a1;
      let pb: usize = b + o;
      for (let k = 0; k < K; k++) {
        const bv = v128.load(pb);
        p = f32x4.add(p, f32x4.mul(v128.load32_splat(pa0), bv));
        q = f32x4.add(q, f32x4.mul(v128.load32_splat(pa1), bv));
        pa0 += kStep;
        pa1 += kStep;
        pb += rowB;
      }
      v128.store(c0 + o, p);
      v128.store(c1 + o, q);
    }
    for (; j < N; j++) {
      const o: usize = (<usize>j) << 2;
      let p: f32 = 0, q: f32 = 0;
      let pa0 = a0, pa1 = a1;
      let pb: usize = b + o;
      for (let k = 0; k < K; k++) {
        const bv = load<f32>(pb);
        p += load<f32>(pa0) * bv;
        q += load<f32>(pa1) * bv;
        pa0 += kStep;
        pa1 += kStep;
        pb += rowB;
      }
      store<f32>(c0 + o, load<f32>(c0 + o) + p);
      store<f32>(c1 + o, load<f32>(c1 + o) + q);
    }
  }
  if (i < M) {
    const a0: usize = a + <usize>i * rowStep;
    const c0: usize = c + <usize>i * rowC;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const o: usize = (<usize>j) << 2;
      let p = v128.load(c0 + o);
      let pa0 = a0;
      let pb: usize = b + o;
      for (let k = 0; k < K; k++) {
        p = f32x4.add(p, f32x4.mul(v128.load32_splat(pa0), v128.load(pb)));
        pa0 += kStep;
        pb += rowB;
      }
      v128.store(c0 + o, p);
    }
    for (; j < N; j++) {
      const o: usize = (<usize>j) << 2;
      let p: f32 = 0;
      let pa0 = a0;
      let pb: usize = b + o;
      for (let k = 0; k < K; k++) {
        p += load<f32>(pa0) * load<f32>(pb);
        pa0 += kStep;
        pb += rowB;
      }
      store<f32>(c0 + o, load<f32>(c0 + o) + p);
    }
  }
}
