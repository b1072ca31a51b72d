// AssemblyScript source of the WebAssembly SIMD matrix product behind src/kernels/matmul-gemm.ts.
// Built by scripts/build-wasm.mjs into wasm/gemm.wasm at package build time (never committed).
//
// One kernel: C[M, N] += A[M, K] · B[K, N] on row-major float32 matrices in linear memory:
// B and C packed with N a multiple of 4 (the caller pads), A's rows lda floats apart so the
// caller can walk K in cache-sized chunks. The caller packs transposed operands, so
// this one loop serves A·B, A·Bᵀ and Aᵀ·B. Two rows of C by sixteen columns stay in eight
// f32x4 registers across the whole k loop, so each B vector loaded feeds two products.

// @ts-nocheck: AssemblyScript types (i32, usize, v128, f32x4) are not TypeScript's.

export function gemm(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, c: usize): void {
  const rowB: usize = (<usize>N) << 2;
  const rowA: usize = (<usize>lda) << 2;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0: usize = a + <usize>i * rowA;
    const a1: usize = a0 + rowA;
    const c0: usize = c + <usize>i * rowB;
    const c1: usize = c0 + rowB;
    let j = 0;
    for (; j + 16 <= N; j += 16) {
      const o: usize = (<usize>j) << 2;
      let p0 = v128.load(c0 + o), p1 = v128.load(c0 + o, 16), p2 = v128.load(c0 + o, 32), p3 = v128.load(c0 + o, 48);
      let q0 = v128.load(c1 + o), q1 = v128.load(c1 + o, 16), q2 = v128.load(c1 + o, 32), q3 = v128.load(c1 + o, 48);
      let bp: usize = b + o;
      for (let k = 0; k < K; k++) {
        const kk: usize = (<usize>k) << 2;
        const x = f32x4.splat(load<f32>(a0 + kk));
        const y = f32x4.splat(load<f32>(a1 + kk));
        const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
        p0 = f32x4.add(p0, f32x4.mul(x, b0));
        p1 = f32x4.add(p1, f32x4.mul(x, b1));
        p2 = f32x4.add(p2, f32x4.mul(x, b2));
        p3 = f32x4.add(p3, f32x4.mul(x, b3));
        q0 = f32x4.add(q0, f32x4.mul(y, b0));
        q1 = f32x4.add(q1, f32x4.mul(y, b1));
        q2 = f32x4.add(q2, f32x4.mul(y, b2));
        q3 = f32x4.add(q3, f32x4.mul(y, b3));
        bp += rowB;
      }
      v128.store(c0 + o, p0); v128.store(c0 + o, p1, 16); v128.store(c0 + o, p2, 32); v128.store(c0 + o, p3, 48);
      v128.store(c1 + o, q0); v128.store(c1 + o, q1, 16); v128.store(c1 + o, q2, 32); v128.store(c1 + o, q3, 48);
    }
    for (; j < N; j += 4) {
      const o: usize = (<usize>j) << 2;
      let p = v128.load(c0 + o);
      let q = v128.load(c1 + o);
      let bp: usize = b + o;
      for (let k = 0; k < K; k++) {
        const kk: usize = (<usize>k) << 2;
        const bv = v128.load(bp);
        p = f32x4.add(p, f32x4.mul(f32x4.splat(load<f32>(a0 + kk)), bv));
        q = f32x4.add(q, f32x4.mul(f32x4.splat(load<f32>(a1 + kk)), bv));
        bp += rowB;
      }
      v128.store(c0 + o, p);
      v128.store(c1 + o, q);
    }
  }
  for (; i < M; i++) {
    const a0: usize = a + <usize>i * rowA;
    const c0: usize = c + <usize>i * rowB;
    for (let j = 0; j < N; j += 4) {
      const o: usize = (<usize>j) << 2;
      let p = v128.load(c0 + o);
      let bp: usize = b + o;
      for (let k = 0; k < K; k++) {
        p = f32x4.add(p, f32x4.mul(f32x4.splat(load<f32>(a0 + ((<usize>k) << 2))), v128.load(bp)));
        bp += rowB;
      }
      v128.store(c0 + o, p);
    }
  }
}
