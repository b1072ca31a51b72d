// The recurrent layers' activations on four lanes at once, and their slopes written in terms
// of the activation's output (backpropagation through time keeps only outputs).
// Codes match @seqlearn/models' fused-activations: 0 tanh, 1 sigmoid, 2 hardSigmoid, 3 relu,
// 4 linear.
//
// WebAssembly has no exp instruction, so exp is the classic Cephes single-precision scheme:
// split x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for e^r, and 2^n built in the
// exponent bits. Its error is a few float32 ulps, far inside the 1e-4 the fused layers are
// held to against tfjs's own ops.

// @ts-nocheck: AssemblyScript types (v128, f32x4, i32x4) are not TypeScript's.

export const ACT_TANH = 0;
export const ACT_SIGMOID = 1;
export const ACT_HARD_SIGMOID = 2;
export const ACT_RELU = 3;

// @ts-ignore: decorator
@inline
function expv(v: v128): v128 {
  // Bounds keep 2^n a normal float: beyond them the result is 0 or overflows anyway.
  const x = f32x4.max(f32x4.min(v, f32x4.splat(88.3762626647949)), f32x4.splat(-87.3365478515625));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  // ln2 in two parts, so n·ln2 is subtracted without losing r's low bits.
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  // 2^n from the exponent bits: n + 127 + 2^23 holds the integer n + 127 in its low
  // mantissa bits, a cheaper float-to-int than a saturating conversion.
  const biased = i32x4.sub(f32x4.add(n, f32x4.splat(8388735)), i32x4.splat(0x4b000000));
  return f32x4.mul(p, i32x4.shl(biased, 23));
}

// @ts-ignore: decorator
@inline
function sigmoidv(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline
function tanhv(x: v128): v128 {
  // tanh(|x|) = (1 - e^(-2|x|)) / (1 + e^(-2|x|)), which never overflows; the sign goes back on.
  const sign = v128.and(x, i32x4.splat(0x80000000));
  const e = expv(f32x4.mul(f32x4.abs(x), f32x4.splat(-2)));
  const one = f32x4.splat(1);
  return v128.or(f32x4.div(f32x4.sub(one, e), f32x4.add(one, e)), sign);
}

// @ts-ignore: decorator
@inline
export function activate(code: i32, x: v128): v128 {
  if (code == ACT_TANH) return tanhv(x);
  if (code == ACT_SIGMOID) return sigmoidv(x);
  if (code == ACT_HARD_SIGMOID) {
    // tfjs: clip(0.2 x + 0.5, 0, 1)
    const y = f32x4.add(f32x4.mul(f32x4.splat(0.2), x), f32x4.splat(0.5));
    return f32x4.max(f32x4.min(y, f32x4.splat(1)), f32x4.splat(0));
  }
  if (code == ACT_RELU) return f32x4.max(x, f32x4.splat(0));
  return x;
}

/** d activation / d x, from the activation's output y. */
// @ts-ignore: decorator
@inline
export function slope(code: i32, y: v128): v128 {
  const one = f32x4.splat(1);
  if (code == ACT_TANH) return f32x4.sub(one, f32x4.mul(y, y));
  if (code == ACT_SIGMOID) return f32x4.mul(y, f32x4.sub(one, y));
  const zero = f32x4.splat(0);
  if (code == ACT_HARD_SIGMOID) {
    const inside = v128.and(f32x4.gt(y, zero), f32x4.lt(y, one));
    return v128.and(inside, f32x4.splat(0.2));
  }
  if (code == ACT_RELU) return v128.and(f32x4.gt(y, zero), one);
  return one;
}
