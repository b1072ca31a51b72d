// MaxPool and its gradient for float32 NHWC, for src/kernels/maxpool-nhwc.ts: the same window
// walk as its JavaScript loops (channels innermost and contiguous), with the same semantics as
// the stock kernels: a window's maximum is its first strictly greater value in row-major
// window order, and that position alone receives the window's gradient; a window of only NaN
// or -Infinity has none (where = -1).

// @ts-nocheck: AssemblyScript types (i32, usize, f32, f64, v128) are not TypeScript's.

const LANES = i32x4(0, 1, 2, 3);

/**
 * out[b, yR, yC, d] = the window's maximum (-Infinity when it has none), and, unless `where`
 * is 0, where[b, yR, yC, d] = its flat input index (or -1).
 */
export function maxPool(
  B: i32, inH: i32, inW: i32, C: i32, outH: i32, outW: i32,
  strideH: i32, strideW: i32, filterH: i32, filterW: i32, padTop: i32, padLeft: i32,
  x: usize, out: usize, where: usize,
): void {
  for (let b = 0; b < B; b++) {
    for (let yR = 0; yR < outH; yR++) {
      const r0 = yR * strideH - padTop;
      const rA = r0 > 0 ? r0 : 0;
      const rB = r0 + filterH < inH ? r0 + filterH : inH;
      for (let yC = 0; yC < outW; yC++) {
        const c0 = yC * strideW - padLeft;
        const cA = c0 > 0 ? c0 : 0;
        const cB = c0 + filterW < inW ? c0 + filterW : inW;
        const o = ((b * outH + yR) * outW + yC) * C;
        let d = 0;
        // Four channels at a time: lanes where a value is strictly greater take it and its index.
        for (; d + 4 <= C; d += 4) {
          let best = f32x4.splat(-Infinity);
          let at = i32x4.splat(-1);
          for (let r = rA; r < rB; r++) {
            for (let c = cA; c < cB; c++) {
              const i = ((b * inH + r) * inW + c) * C + d;
              const v = v128.load(x + ((<usize>i) << 2));
              const greater = f32x4.gt(v, best);
              best = v128.bitselect(v, best, greater);
              at = v128.bitselect(i32x4.add(i32x4.splat(i), LANES), at, greater);
            }
          }
          v128.store(out + ((<usize>(o + d)) << 2), best);
          if (where != 0) v128.store(where + ((<usize>(o + d)) << 2), at);
        }
        for (; d < C; d++) {
          let best: f32 = -Infinity;
          let at: i32 = -1;
          for (let r = rA; r < rB; r++) {
            for (let c = cA; c < cB; c++) {
              const i = ((b * inH + r) * inW + c) * C + d;
              const v = load<f32>(x + ((<usize>i) << 2));
              if (v > best) {
                best = v;
                at = i;
              }
            }
          }
          store<f32>(out + ((<usize>(o + d)) << 2), best);
          if (where != 0) store<i32>(where + ((<usize>(o + d)) << 2), at);
        }
      }
    }
  }
}

/**
 * dx = the window gradients dy scattered to their maxima. Where windows overlap, sums go into
 * float64 (acc, `size` doubles, zeroed by the caller) rounded once into dx, as the stock kernel
 * does; where they cannot (acc 0), each input receives at most one value, written straight
 * into dx (zeroed by the caller).
 */
export function maxPoolScatter(where: usize, dy: usize, count: i32, acc: usize, dx: usize, size: i32): void {
  if (acc == 0) {
    for (let i = 0; i < count; i++) {
      const at = load<i32>(where + ((<usize>i) << 2));
      if (at >= 0) store<f32>(dx + ((<usize>at) << 2), load<f32>(dy + ((<usize>i) << 2)));
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    const at = load<i32>(where + ((<usize>i) << 2));
    if (at < 0) continue;
    const p: usize = acc + ((<usize>at) << 3);
    store<f64>(p, load<f64>(p) + <f64>load<f32>(dy + ((<usize>i) << 2)));
  }
  for (let i = 0; i < size; i++) store<f32>(dx + ((<usize>i) << 2), <f32>load<f64>(acc + ((<usize>i) << 3)));
}
