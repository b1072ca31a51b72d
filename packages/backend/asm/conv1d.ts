// The elementwise passes around a valid, stride-1 Conv1D's matrix products (see
// src/kernels/conv1d-valid.ts), so that the products' operands and results stay in the module:
// going forward, the batch-long product's rows become the outputs (the rows that straddle two
// sequences dropped) with the bias and Relu; going back, the output gradient is masked by
// Relu, laid out as the backward products read it, and summed into the bias's gradient.

// @ts-nocheck: AssemblyScript types (i32, usize, v128, f32x4) are not TypeScript's.

/**
 * out[b, t, :] = act(bias + full[b·steps + t, :]) for sequences b in [from, to) and
 * t < outSteps; `bias` a row of `filters` floats or 0 (then 0 + full), `relu` 1 for Relu
 * (x · (x > 0)).
 */
export function conv1dOutputs(full: usize, out: usize, steps: i32, outSteps: i32, filters: i32, bias: usize, relu: i32, from: i32, to: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const row: usize = (<usize>filters) << 2;
  for (let b = from; b < to; b++) {
    for (let t = 0; t < outSteps; t++) {
      const src: usize = full + <usize>(b * steps + t) * row;
      const dst: usize = out + <usize>(b * outSteps + t) * row;
      let f = 0;
      for (; f + 4 <= filters; f += 4) {
        const o: usize = (<usize>f) << 2;
        let v = f32x4.add(bias != 0 ? v128.load(bias + o) : zero, v128.load(src + o));
        if (relu != 0) v = f32x4.mul(v, v128.and(f32x4.gt(v, zero), one));
        v128.store(dst + o, v);
      }
      for (; f < filters; f++) {
        const o: usize = (<usize>f) << 2;
        let v: f32 = (bias != 0 ? load<f32>(bias + o) : <f32>0) + load<f32>(src + o);
        if (relu != 0) v = v * (v > 0 ? <f32>1 : <f32>0);
        store<f32>(dst + o, v);
      }
    }
  }
}

/**
 * spread[b·steps + t, :] = dOut[b, t, :] · (act[b, t, :] > 0) (unmasked when act is 0) for
 * every sequence b and t < outSteps (the other rows of spread are left as they are: zero), and
 * sums[:] += each of those rows in order when sums is not 0: the bias's gradient.
 */
export function conv1dSpread(dOut: usize, act: usize, spread: usize, batch: i32, steps: i32, outSteps: i32, filters: i32, sums: usize): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const row: usize = (<usize>filters) << 2;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < outSteps; t++) {
      const at: usize = <usize>(b * outSteps + t) * row;
      const dst: usize = spread + <usize>(b * steps + t) * row;
      let f = 0;
      for (; f + 4 <= filters; f += 4) {
        const o: usize = (<usize>f) << 2;
        let v = v128.load(dOut + at + o);
        if (act != 0) v = f32x4.mul(v, v128.and(f32x4.gt(v128.load(act + at + o), zero), one));
        v128.store(dst + o, v);
        if (sums != 0) v128.store(sums + o, f32x4.add(v128.load(sums + o), v));
      }
      for (; f < filters; f++) {
        const o: usize = (<usize>f) << 2;
        let v = load<f32>(dOut + at + o);
        if (act != 0) v = v * (load<f32>(act + at + o) > 0 ? <f32>1 : <f32>0);
        store<f32>(dst + o, v);
        if (sums != 0) store<f32>(sums + o, load<f32>(sums + o) + v);
      }
    }
  }
}
