// The RMSprop update of src/kernels/optimizer-fused.ts, four weights at a time, in place.
// Arithmetic is float32 operation by operation, as tfjs's own optimizer computes it.

// @ts-nocheck: AssemblyScript types (i32, usize, f32, v128) are not TypeScript's.

/**
 * ms = ms·decay + g²·(1 − decay); mom = mom·momentum + g·lr / √(ms + ε); w −= mom,
 * over n weights.
 */
export function rmsProp(n: i32, g: usize, w: usize, ms: usize, mom: usize, decay: f32, momentum: f32, lr: f32, epsilon: f32): void {
  const keep: f32 = decay;
  const take: f32 = <f32>1 - decay;
  const vKeep = f32x4.splat(keep);
  const vTake = f32x4.splat(take);
  const vMomentum = f32x4.splat(momentum);
  const vLr = f32x4.splat(lr);
  const vEpsilon = f32x4.splat(epsilon);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o: usize = (<usize>j) << 2;
    const gj = v128.load(g + o);
    const s = f32x4.add(f32x4.mul(v128.load(ms + o), vKeep), f32x4.mul(f32x4.mul(gj, gj), vTake));
    const m = f32x4.add(f32x4.mul(v128.load(mom + o), vMomentum), f32x4.div(f32x4.mul(gj, vLr), f32x4.sqrt(f32x4.add(s, vEpsilon))));
    v128.store(ms + o, s);
    v128.store(mom + o, m);
    v128.store(w + o, f32x4.sub(v128.load(w + o), m));
  }
  for (; j < n; j++) {
    const o: usize = (<usize>j) << 2;
    const gj = load<f32>(g + o);
    const s = load<f32>(ms + o) * keep + gj * gj * take;
    const m = load<f32>(mom + o) * momentum + (gj * lr) / Mathf.sqrt(s + epsilon);
    store<f32>(ms + o, s);
    store<f32>(mom + o, m);
    store<f32>(w + o, load<f32>(w + o) - m);
  }
}
