// Elementwise float32 kernels over whole tensors: Relu, Step (its gradient) and the four
// arithmetic operators. In JavaScript these loops run at a few nanoseconds an element, more
// when a data-dependent branch mispredicts (Relu on random signs: about 25 ns); here four
// lanes go at a time without branches. Every result is the correctly rounded float32 of the
// operation, so bit-identical to tfjs's kernels, which compute in float64 and round once.

// @ts-nocheck: AssemblyScript types (i32, usize, v128, f32x4) are not TypeScript's.

const ADD = 0;
const SUB = 1;
const MUL = 2;

// @ts-ignore: decorator
@inline
function apply4(op: i32, x: v128, y: v128): v128 {
  if (op == ADD) return f32x4.add(x, y);
  if (op == SUB) return f32x4.sub(x, y);
  if (op == MUL) return f32x4.mul(x, y);
  return f32x4.div(x, y);
}

// @ts-ignore: decorator
@inline
function apply1(op: i32, x: f32, y: f32): f32 {
  if (op == ADD) return x + y;
  if (op == SUB) return x - y;
  if (op == MUL) return x * y;
  return x / y;
}

/** out = max(x, 0), NaN kept (WebAssembly's max propagates NaN and orders -0 below +0). */
export function relu(x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o: usize = (<usize>i) << 2;
    v128.store(out + o, f32x4.max(v128.load(x + o), zero));
  }
  for (; i < n; i++) {
    const o: usize = (<usize>i) << 2;
    store<f32>(out + o, max<f32>(load<f32>(x + o), 0));
  }
}

/** out = 1 where x > 0, NaN where x is NaN, else alpha. */
export function step(x: usize, out: usize, n: i32, alpha: f32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const below = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o: usize = (<usize>i) << 2;
    const v = v128.load(x + o);
    const stepped = v128.bitselect(one, below, f32x4.gt(v, zero));
    v128.store(out + o, v128.bitselect(v, stepped, f32x4.ne(v, v)));
  }
  for (; i < n; i++) {
    const o: usize = (<usize>i) << 2;
    const v = load<f32>(x + o);
    store<f32>(out + o, v > 0 ? 1 : v != v ? v : alpha);
  }
}

/**
 * out[i] = a[i mod aLen] op b[i mod bLen] for i < n, where each length is n, 1, or a row
 * length dividing n (bias adds and their gradients). op: 0 add, 1 sub, 2 mul, 3 div.
 */
export function binary(op: i32, a: usize, aLen: i32, b: usize, bLen: i32, out: usize, n: i32): void {
  if (op == ADD) rows(ADD, a, aLen, b, bLen, out, n);
  else if (op == SUB) rows(SUB, a, aLen, b, bLen, out, n);
  else if (op == MUL) rows(MUL, a, aLen, b, bLen, out, n);
  else rows(3, a, aLen, b, bLen, out, n);
}

// @ts-ignore: decorator
@inline
function rows(op: i32, a: usize, aLen: i32, b: usize, bLen: i32, out: usize, n: i32): void {
  if (aLen == 1 || bLen == 1) {
    scalar(op, a, aLen, b, bLen, out, n);
    return;
  }
  // Rows of the shorter operand's length; the full-length operand advances with the output.
  const m = aLen < bLen ? aLen : bLen;
  for (let start = 0; start < n; start += m) {
    const s: usize = (<usize>start) << 2;
    const pa: usize = aLen == n ? a + s : a;
    const pb: usize = bLen == n ? b + s : b;
    const po: usize = out + s;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const o: usize = (<usize>j) << 2;
      v128.store(po + o, apply4(op, v128.load(pa + o), v128.load(pb + o)));
    }
    for (; j < m; j++) {
      const o: usize = (<usize>j) << 2;
      store<f32>(po + o, apply1(op, load<f32>(pa + o), load<f32>(pb + o)));
    }
  }
}

// @ts-ignore: decorator
@inline
function scalar(op: i32, a: usize, aLen: i32, b: usize, bLen: i32, out: usize, n: i32): void {
  const aScalar = aLen == 1;
  const sv = aScalar ? load<f32>(a) : load<f32>(b);
  const s4 = f32x4.splat(sv);
  const p: usize = aScalar ? b : a;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o: usize = (<usize>i) << 2;
    const v = v128.load(p + o);
    v128.store(out + o, aScalar ? apply4(op, s4, v) : apply4(op, v, s4));
  }
  for (; i < n; i++) {
    const o: usize = (<usize>i) << 2;
    const v = load<f32>(p + o);
    store<f32>(out + o, aScalar ? apply1(op, sv, v) : apply1(op, v, sv));
  }
}

/** x[0 .. n) = 0: a thread clears the rows it is about to accumulate into, while they come into its cache. */
export function zeroFloats(x: usize, n: i32): void {
  memory.fill(x, 0, (<usize>n) << 2);
}
