// Whole-sequence forward and backward passes of SimpleRNN, LSTM and GRU, for the fused layers
// of @seqlearn/models (whose fused-recurrent-math.ts holds the same math in JavaScript, with
// the weight layouts and the dropout semantics written out).
//
// x and its gradient dx are batch-major [B, T, D], as the layer sees them, with input dropout
// already applied; step s reads time T-1-s when goBackwards. The states are time-major in
// processing order: hs [(T+1), B, U]. Each timestep does its own input projection and,
// going back, its own weight-gradient products, so the rows those products read were just
// written and are still in cache: a whole-sequence product would stream tens of megabytes
// through memory instead. Units must be a multiple of four (the caller
// checks), so gate blocks split into whole vectors; the other dimensions may be anything.
//
// Pointers are byte addresses in this module's memory. The caller zeroes what must start
// at zero: hs[0] and cs[0] (the initial state) and the gradient outputs dx, dW and dR.
//
// steps (0 for none) is the step mask [B, T] in the input's time order, 0.0 at a padding
// step: there the state is carried over and the step's output is the previous one, as
// tfjs-layers' rnn() does with a mask; going back, the state gradients of those rows pass the
// step unchanged and nothing else of the step gets a gradient.

// @ts-nocheck: AssemblyScript types (i32, usize, v128, f32x4) are not TypeScript's.

import { activate, slope } from './activations';
import { gemm, gemmTN, transpose } from './gemm';

// @ts-ignore: decorator
@inline
function at(base: usize, floats: i32): usize {
  return base + ((<usize>floats) << 2);
}

/** Every row of gs [rows, width] set to bias (or zero). */
function startRows(gs: usize, rows: i32, width: i32, bias: usize): void {
  const bytes: usize = (<usize>width) << 2;
  for (let r = 0; r < rows; r++) {
    const row = gs + <usize>r * bytes;
    if (bias == 0) memory.fill(row, 0, bytes);
    else memory.copy(row, bias, bytes);
  }
}

/** h(t-1) as it enters the recurrent product: multiplied by the mask into hm, or itself. */
function maskedState(h: usize, mask: usize, hm: usize, n: i32): usize {
  if (mask == 0) return h;
  for (let i = 0; i < n; i += 4) {
    const o: usize = (<usize>i) << 2;
    v128.store(hm + o, f32x4.mul(v128.load(h + o), v128.load(mask + o)));
  }
  return hm;
}

function scaleByMask(v: usize, mask: usize, n: i32): void {
  if (mask == 0) return;
  for (let i = 0; i < n; i += 4) {
    const o: usize = (<usize>i) << 2;
    v128.store(v + o, f32x4.mul(v128.load(v + o), v128.load(mask + o)));
  }
}

/**
 * Zeroes values below 1e-30 in magnitude. Gradients that vanish through time pass through
 * the subnormal range, where every x86 float operation costs about a hundred times its
 * normal price and WebAssembly cannot turn on flush-to-zero; TensorFlow and most BLAS
 * builds run with it on. Values this small change no result at float32 precision.
 */
function flushTiny(v: usize, n: i32): void {
  const tiny = f32x4.splat(1e-30);
  for (let i = 0; i < n; i += 4) {
    const o: usize = (<usize>i) << 2;
    const x = v128.load(v + o);
    v128.store(v + o, v128.and(x, f32x4.ge(f32x4.abs(x), tiny)));
  }
}

function addInto(dst: usize, src: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o: usize = (<usize>i) << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
}

/** dh += the upstream gradient of h after step s. */
function addUpstream(dh: usize, dy: usize, sequences: i32, s: i32, T: i32, BU: i32): void {
  if (sequences != 0) addInto(dh, at(dy, s * BU), BU);
  else if (s == T - 1) addInto(dh, dy, BU);
}

/** x's rows for step s: time T-1-s when going backwards. Rows are T·D floats apart. */
// @ts-ignore: decorator
@inline
function stepRows(x: usize, s: i32, T: i32, D: i32, backwards: i32): usize {
  return at(x, (backwards != 0 ? T - 1 - s : s) * D);
}

/** acc[g] (float64) += Σ_b dz[b, g]: one step's share of the bias gradient. */
function addColumnSums(acc: usize, dz: usize, B: i32, G: i32): void {
  for (let g = 0; g < G; g += 4) {
    let v = f32x4.splat(0);
    for (let b = 0; b < B; b++) v = f32x4.add(v, v128.load(at(dz, b * G + g)));
    const a: usize = acc + ((<usize>g) << 3);
    store<f64>(a, load<f64>(a) + <f64>f32x4.extract_lane(v, 0));
    store<f64>(a, load<f64>(a, 8) + <f64>f32x4.extract_lane(v, 1), 8);
    store<f64>(a, load<f64>(a, 16) + <f64>f32x4.extract_lane(v, 2), 16);
    store<f64>(a, load<f64>(a, 24) + <f64>f32x4.extract_lane(v, 3), 24);
  }
}

/**
 * The gradients every cell shares once its pre-activation gradients dz [B, G] of step s
 * are known: kernel, input, bias. Wt is the kernel transposed [G, D].
 */
function inputGradients(B: i32, D: i32, G: i32, xs: usize, ldx: i32, dz: usize, Wt: usize, dW: usize, dxs: usize, db64: usize): void {
  gemmTN(D, G, B, xs, ldx, dz, G, dW, G);
  gemm(B, D, G, dz, G, Wt, D, dxs, ldx);
  addColumnSums(db64, dz, B, G);
}

/**
 * The rest of step s for SimpleRNN and LSTM once dz [B, G] is known: dh becomes the gradient
 * of h(t-1) through the recurrent kernel (Rt is it transposed, [G, U]), and the step's
 * shares of the recurrent kernel, kernel, input and bias gradients are added.
 */
function stepGradients(
  B: i32, T: i32, D: i32, U: i32, G: i32, s: i32, back: i32, x: usize, dx: usize, hs: usize, mask: usize, hm: usize,
  dz: usize, Wt: usize, Rt: usize, dh: usize, dW: usize, dR: usize, db64: usize,
): void {
  const BU = B * U;
  memory.fill(dh, 0, (<usize>BU) << 2);
  gemm(B, U, G, dz, G, Rt, U, dh, U);
  scaleByMask(dh, mask, BU);
  flushTiny(dh, BU);
  gemmTN(U, G, B, maskedState(at(hs, s * BU), mask, hm, BU), U, dz, G, dR, G);
  inputGradients(B, D, G, stepRows(x, s, T, D, back), T * D, dz, Wt, dW, stepRows(dx, s, T, D, back), db64);
}

/** True when row b's step s is masked. */
// @ts-ignore: decorator
@inline
function masked(steps: usize, b: i32, s: i32, T: i32, back: i32): bool {
  return load<f32>(at(steps, b * T + (back != 0 ? T - 1 - s : s))) == 0;
}

/** Rows masked at step s keep their state: next's row b takes prev's. */
function carryMasked(steps: usize, s: i32, T: i32, B: i32, U: i32, back: i32, prev: usize, next: usize): void {
  if (steps == 0) return;
  const bytes: usize = (<usize>U) << 2;
  for (let b = 0; b < B; b++) {
    if (masked(steps, b, s, T, back)) memory.copy(next + <usize>b * bytes, prev + <usize>b * bytes, bytes);
  }
}

/** Rows masked at step s: their state gradient moves from g into held, and g's row is zeroed. */
function holdMasked(steps: usize, s: i32, T: i32, B: i32, U: i32, back: i32, g: usize, held: usize): void {
  if (steps == 0) return;
  const bytes: usize = (<usize>U) << 2;
  for (let b = 0; b < B; b++) {
    if (!masked(steps, b, s, T, back)) continue;
    memory.copy(held + <usize>b * bytes, g + <usize>b * bytes, bytes);
    memory.fill(g + <usize>b * bytes, 0, bytes);
  }
}

/** Puts back what holdMasked took: through a masked step the state gradient passes unchanged. */
function restoreMasked(steps: usize, s: i32, T: i32, B: i32, U: i32, back: i32, g: usize, held: usize): void {
  if (steps == 0) return;
  const bytes: usize = (<usize>U) << 2;
  for (let b = 0; b < B; b++) {
    if (masked(steps, b, s, T, back)) memory.copy(g + <usize>b * bytes, held + <usize>b * bytes, bytes);
  }
}

function finishBias(db: usize, db64: usize, G: i32): void {
  if (db == 0) return;
  for (let g = 0; g < G; g++) store<f32>(at(db, g), <f32>load<f64>(db64 + ((<usize>g) << 3)));
}

/** Carves scratch: the byte address `floats` floats after p, rounded up to 16 bytes. */
// @ts-ignore: decorator
@inline
function carve(p: usize, floats: i32): usize {
  return (p + ((<usize>floats) << 2) + 15) & ~(<usize>15);
}

// ---------------------------------------------------------------- SimpleRNN

/** Step s's slot among the kept states: every step's when training, two used in turn at inference. */
@inline
function slot(s: i32, fromTokens: bool): i32 {
  return fromTokens ? s & 1 : s;
}

/**
 * gs [B, G] = step s's input product: the bias plus x(s)·W or, from tokens, the rows of table W
 * (bias included) that the step's tokens pick.
 */
@inline
function inputProduct(
  gs: usize, B: i32, G: i32, D: i32, x: usize, W: usize, bias: usize, s: i32, T: i32, back: i32, fromTokens: bool,
): void {
  if (fromTokens) tokenRows(gs, B, G, x, W, s, T, back);
  else {
    startRows(gs, B, G, bias);
    gemm(B, G, D, stepRows(x, s, T, D, back), T * D, W, G, gs, G);
  }
}

/** gs [B, G] = the table rows of the tokens read at step s. */
function tokenRows(gs: usize, B: i32, G: i32, tokens: usize, table: usize, s: i32, T: i32, back: i32): void {
  const t = back != 0 ? T - 1 - s : s;
  const bytes: usize = (<usize>G) << 2;
  for (let b = 0; b < B; b++) {
    const id = load<i32>(tokens + ((<usize>(b * T + t)) << 2));
    memory.copy(gs + <usize>b * bytes, table + <usize>id * bytes, bytes);
  }
}

/** hs [(T+1), B, U]: h before each step, then after the last. Scratch: 2·B·U floats. */
export function simpleRnnForward(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, bias: usize, mask: usize, steps: usize, act: i32, hs: usize, scratch: usize,
): void {
  simpleRnnSteps(B, T, D, U, back, x, W, R, bias, mask, steps, act, hs, scratch, false);
}

/**
 * simpleRnnForward for inference over token ids: tokens [B, T] (i32) pick rows of table [V, U]
 * (input product plus bias). hs holds two states [2, B, U] used in turn (the first zeroed by
 * the caller); the last h ends in block T & 1. Scratch: B·U floats.
 */
export function simpleRnnForwardTokens(
  B: i32, T: i32, U: i32, back: i32, tokens: usize, table: usize, R: usize, steps: usize, act: i32, hs: usize, scratch: usize,
): void {
  simpleRnnSteps(B, T, 0, U, back, tokens, table, R, 0, 0, steps, act, hs, scratch, true);
}

@inline
function simpleRnnSteps(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, bias: usize, mask: usize, steps: usize, act: i32, hs: usize,
  scratch: usize, fromTokens: bool,
): void {
  const BU = B * U;
  const a = scratch;
  const hm = carve(a, BU);
  for (let s = 0; s < T; s++) {
    const hPrev = at(hs, slot(s, fromTokens) * BU);
    inputProduct(a, B, U, D, x, W, bias, s, T, back, fromTokens);
    gemm(B, U, U, maskedState(hPrev, mask, hm, BU), U, R, U, a, U);
    const hNext = at(hs, slot(s + 1, fromTokens) * BU);
    for (let i = 0; i < BU; i += 4) {
      const o: usize = (<usize>i) << 2;
      v128.store(hNext + o, activate(act, v128.load(a + o)));
    }
    carryMasked(steps, s, T, B, U, back, hPrev, hNext);
  }
}

export function simpleRnnBackward(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, mask: usize, steps: usize, act: i32,
  hs: usize, dy: usize, dySequences: i32, dx: usize, dW: usize, dR: usize, db: usize, scratch: usize,
): void {
  const BU = B * U;
  const dh = scratch;
  const dz = carve(dh, BU);
  const hm = carve(dz, BU);
  const Wt = carve(hm, BU);
  const Rt = carve(Wt, U * D);
  const db64 = carve(Rt, U * U);
  const held = carve(db64, 2 * U);
  memory.fill(dh, 0, (<usize>BU) << 2);
  memory.fill(db64, 0, (<usize>U) << 3);
  transpose(D, U, W, Wt);
  transpose(U, U, R, Rt);
  for (let s = T - 1; s >= 0; s--) {
    addUpstream(dh, dy, dySequences, s, T, BU);
    holdMasked(steps, s, T, B, U, back, dh, held);
    const hNext = at(hs, (s + 1) * BU);
    for (let i = 0; i < BU; i += 4) {
      const o: usize = (<usize>i) << 2;
      v128.store(dz + o, f32x4.mul(v128.load(dh + o), slope(act, v128.load(hNext + o))));
    }
    stepGradients(B, T, D, U, U, s, back, x, dx, hs, mask, hm, dz, Wt, Rt, dh, dW, dR, db64);
    restoreMasked(steps, s, T, B, U, back, dh, held);
  }
  finishBias(db, db64, U);
}

// ---------------------------------------------------------------- LSTM

/**
 * gates [T, B, 4U] receives the activated i, f, c̃, o of every step; hs and cs [(T+1), B, U]
 * the hidden and cell states. Scratch: B·U floats.
 */
export function lstmForward(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, bias: usize, mask: usize, steps: usize,
  act: i32, ract: i32, gates: usize, hs: usize, cs: usize, scratch: usize,
): void {
  lstmSteps(B, T, D, U, back, x, W, R, bias, mask, steps, act, ract, gates, hs, cs, scratch, false);
}

/**
 * lstmForward for inference over token ids: tokens [B, T] (i32) pick rows of table [V, 4U],
 * each a token's input product with the bias already added, so no step multiplies its
 * input. Nothing is kept for a backward pass: gates holds one step [B, 4U], hs and cs two
 * states [2, B, U] used in turn (the first zeroed by the caller), and the last h ends in
 * block T & 1 of hs.
 */
export function lstmForwardTokens(
  B: i32, T: i32, U: i32, back: i32, tokens: usize, table: usize, R: usize, steps: usize,
  act: i32, ract: i32, gates: usize, hs: usize, cs: usize,
): void {
  lstmSteps(B, T, 0, U, back, tokens, table, R, 0, 0, steps, act, ract, gates, hs, cs, 0, true);
}

@inline
function lstmSteps(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, bias: usize, mask: usize, steps: usize,
  act: i32, ract: i32, gates: usize, hs: usize, cs: usize, scratch: usize, fromTokens: bool,
): void {
  const G = 4 * U;
  const BU = B * U;
  const hm = scratch;
  const gOff: usize = (<usize>U) << 2;
  for (let s = 0; s < T; s++) {
    // Inference keeps one step of gates and two of states; training keeps every step for the backward pass.
    const gs = fromTokens ? gates : at(gates, s * B * G);
    const prev = slot(s, fromTokens);
    const next = slot(s + 1, fromTokens);
    inputProduct(gs, B, G, D, x, W, bias, s, T, back, fromTokens);
    gemm(B, G, U, maskedState(at(hs, prev * BU), mask, hm, BU), U, R, G, gs, G);
    const cPrev = at(cs, prev * BU);
    const cNext = at(cs, next * BU);
    const hNext = at(hs, next * BU);
    for (let b = 0; b < B; b++) {
      const row = at(gs, b * G);
      const so = at(0, b * U);
      for (let u = 0; u < U; u += 4) {
        const go = row + ((<usize>u) << 2);
        const ig = activate(ract, v128.load(go));
        const fg = activate(ract, v128.load(go + gOff));
        const gg = activate(act, v128.load(go + 2 * gOff));
        const og = activate(ract, v128.load(go + 3 * gOff));
        v128.store(go, ig);
        v128.store(go + gOff, fg);
        v128.store(go + 2 * gOff, gg);
        v128.store(go + 3 * gOff, og);
        const o = so + ((<usize>u) << 2);
        const c = f32x4.add(f32x4.mul(fg, v128.load(cPrev + o)), f32x4.mul(ig, gg));
        v128.store(cNext + o, c);
        v128.store(hNext + o, f32x4.mul(og, activate(act, c)));
      }
    }
    carryMasked(steps, s, T, B, U, back, at(hs, prev * BU), hNext);
    carryMasked(steps, s, T, B, U, back, cPrev, cNext);
  }
}

export function lstmBackward(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, mask: usize, steps: usize, act: i32, ract: i32,
  gates: usize, hs: usize, cs: usize, dy: usize, dySequences: i32,
  dx: usize, dW: usize, dR: usize, db: usize, scratch: usize,
): void {
  const G = 4 * U;
  const BU = B * U;
  const dh = scratch;
  const dc = carve(dh, BU);
  const dz = carve(dc, BU);
  const hm = carve(dz, B * G);
  const Wt = carve(hm, BU);
  const Rt = carve(Wt, G * D);
  const db64 = carve(Rt, G * U);
  const heldH = carve(db64, 2 * G);
  const heldC = carve(heldH, BU);
  memory.fill(dh, 0, (<usize>BU) << 2);
  memory.fill(dc, 0, (<usize>BU) << 2);
  memory.fill(db64, 0, (<usize>G) << 3);
  transpose(D, G, W, Wt);
  transpose(U, G, R, Rt);
  const gOff: usize = (<usize>U) << 2;
  for (let s = T - 1; s >= 0; s--) {
    addUpstream(dh, dy, dySequences, s, T, BU);
    holdMasked(steps, s, T, B, U, back, dh, heldH);
    holdMasked(steps, s, T, B, U, back, dc, heldC);
    const gs = at(gates, s * B * G);
    const cPrev = at(cs, s * BU);
    const cNext = at(cs, (s + 1) * BU);
    for (let b = 0; b < B; b++) {
      const row: usize = (<usize>(b * G)) << 2;
      const so = at(0, b * U);
      for (let u = 0; u < U; u += 4) {
        const go = row + ((<usize>u) << 2);
        const g0 = gs + go;
        const ig = v128.load(g0), fg = v128.load(g0 + gOff), gg = v128.load(g0 + 2 * gOff), og = v128.load(g0 + 3 * gOff);
        const o = so + ((<usize>u) << 2);
        const t = activate(act, v128.load(cNext + o));
        const dhv = v128.load(dh + o);
        const dcv = f32x4.add(v128.load(dc + o), f32x4.mul(f32x4.mul(dhv, og), slope(act, t)));
        const z0 = dz + go;
        v128.store(z0, f32x4.mul(f32x4.mul(dcv, gg), slope(ract, ig)));
        v128.store(z0 + gOff, f32x4.mul(f32x4.mul(dcv, v128.load(cPrev + o)), slope(ract, fg)));
        v128.store(z0 + 2 * gOff, f32x4.mul(f32x4.mul(dcv, ig), slope(act, gg)));
        v128.store(z0 + 3 * gOff, f32x4.mul(f32x4.mul(dhv, t), slope(ract, og)));
        v128.store(dc + o, f32x4.mul(dcv, fg));
      }
    }
    flushTiny(dc, BU);
    stepGradients(B, T, D, U, G, s, back, x, dx, hs, mask, hm, dz, Wt, Rt, dh, dW, dR, db64);
    restoreMasked(steps, s, T, B, U, back, dh, heldH);
    restoreMasked(steps, s, T, B, U, back, dc, heldC);
  }
  finishBias(db, db64, G);
}

// ---------------------------------------------------------------- GRU (resetAfter false)

/**
 * gates [T, B, 3U] receives the activated z, r and candidate h̃ of every step; hs
 * [(T+1), B, U] the states. Scratch: 2·B·U floats.
 */
export function gruForward(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, bias: usize, mask: usize, steps: usize,
  act: i32, ract: i32, gates: usize, hs: usize, scratch: usize,
): void {
  gruSteps(B, T, D, U, back, x, W, R, bias, mask, steps, act, ract, gates, hs, scratch, false);
}

/**
 * gruForward for inference over token ids: tokens [B, T] (i32) pick rows of table [V, 3U]
 * (input product plus bias). gates holds one step [B, 3U], hs two states [2, B, U] used in
 * turn (the first zeroed by the caller); the last h ends in block T & 1. Scratch: 2·B·U floats.
 */
export function gruForwardTokens(
  B: i32, T: i32, U: i32, back: i32, tokens: usize, table: usize, R: usize, steps: usize,
  act: i32, ract: i32, gates: usize, hs: usize, scratch: usize,
): void {
  gruSteps(B, T, 0, U, back, tokens, table, R, 0, 0, steps, act, ract, gates, hs, scratch, true);
}

@inline
function gruSteps(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, bias: usize, mask: usize, steps: usize,
  act: i32, ract: i32, gates: usize, hs: usize, scratch: usize, fromTokens: bool,
): void {
  const G = 3 * U;
  const BU = B * U;
  const hm = scratch;
  const rh = carve(hm, BU);
  const gOff: usize = (<usize>U) << 2;
  for (let s = 0; s < T; s++) {
    const gs = fromTokens ? gates : at(gates, s * B * G);
    inputProduct(gs, B, G, D, x, W, bias, s, T, back, fromTokens);
    const hPrev = at(hs, slot(s, fromTokens) * BU);
    const src = maskedState(hPrev, mask, hm, BU);
    gemm(B, 2 * U, U, src, U, R, G, gs, G);
    for (let b = 0; b < B; b++) {
      const row = at(gs, b * G);
      const so = at(0, b * U);
      for (let u = 0; u < U; u += 4) {
        const go = row + ((<usize>u) << 2);
        const z = activate(ract, v128.load(go));
        const r = activate(ract, v128.load(go + gOff));
        v128.store(go, z);
        v128.store(go + gOff, r);
        const o = so + ((<usize>u) << 2);
        v128.store(rh + o, f32x4.mul(r, v128.load(src + o)));
      }
    }
    gemm(B, U, U, rh, U, R + 2 * gOff, G, gs + 2 * gOff, G);
    const hNext = at(hs, slot(s + 1, fromTokens) * BU);
    const one = f32x4.splat(1);
    for (let b = 0; b < B; b++) {
      const row = at(gs, b * G);
      const so = at(0, b * U);
      for (let u = 0; u < U; u += 4) {
        const go = row + ((<usize>u) << 2);
        const hh = activate(act, v128.load(go + 2 * gOff));
        v128.store(go + 2 * gOff, hh);
        const z = v128.load(go);
        const o = so + ((<usize>u) << 2);
        v128.store(hNext + o, f32x4.add(f32x4.mul(z, v128.load(hPrev + o)), f32x4.mul(f32x4.sub(one, z), hh)));
      }
    }
    carryMasked(steps, s, T, B, U, back, hPrev, hNext);
  }
}

export function gruBackward(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, mask: usize, steps: usize, act: i32, ract: i32,
  gates: usize, hs: usize, dy: usize, dySequences: i32,
  dx: usize, dW: usize, dR: usize, db: usize, scratch: usize,
): void {
  const G = 3 * U;
  const BU = B * U;
  const dh = scratch;
  const drh = carve(dh, BU);
  const dhm = carve(drh, BU);
  const hm = carve(dhm, BU);
  const rh = carve(hm, BU);
  const dz = carve(rh, BU);
  const Wt = carve(dz, B * G);
  const Rt = carve(Wt, G * D);
  const db64 = carve(Rt, G * U);
  const held = carve(db64, 2 * G);
  memory.fill(dh, 0, (<usize>BU) << 2);
  memory.fill(db64, 0, (<usize>G) << 3);
  transpose(D, G, W, Wt);
  transpose(U, G, R, Rt);
  const gOff: usize = (<usize>U) << 2;
  const one = f32x4.splat(1);
  for (let s = T - 1; s >= 0; s--) {
    addUpstream(dh, dy, dySequences, s, T, BU);
    holdMasked(steps, s, T, B, U, back, dh, held);
    const gs = at(gates, s * B * G);
    const hPrev = at(hs, s * BU);
    for (let b = 0; b < B; b++) {
      const row: usize = (<usize>(b * G)) << 2;
      const so = at(0, b * U);
      for (let u = 0; u < U; u += 4) {
        const go = row + ((<usize>u) << 2);
        const z = v128.load(gs + go), hh = v128.load(gs + go + 2 * gOff);
        const o = so + ((<usize>u) << 2);
        const dhv = v128.load(dh + o);
        v128.store(dz + go, f32x4.mul(f32x4.mul(dhv, f32x4.sub(v128.load(hPrev + o), hh)), slope(ract, z)));
        v128.store(dz + go + 2 * gOff, f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, z)), slope(act, hh)));
        v128.store(dh + o, f32x4.mul(dhv, z)); // the direct path through z ⊙ h(t-1)
      }
    }
    memory.fill(drh, 0, (<usize>BU) << 2);
    gemm(B, U, U, dz + 2 * gOff, G, Rt + 2 * U * gOff, U, drh, U);
    const src = maskedState(hPrev, mask, hm, BU);
    for (let b = 0; b < B; b++) {
      const row: usize = (<usize>(b * G)) << 2;
      const so = at(0, b * U);
      for (let u = 0; u < U; u += 4) {
        const go = row + ((<usize>u) << 2);
        const r = v128.load(gs + go + gOff);
        const o = so + ((<usize>u) << 2);
        const d = v128.load(drh + o);
        const hv = v128.load(src + o);
        v128.store(dz + go + gOff, f32x4.mul(f32x4.mul(d, hv), slope(ract, r)));
        v128.store(dhm + o, f32x4.mul(d, r));
        v128.store(rh + o, f32x4.mul(r, hv));
      }
    }
    gemm(B, U, 2 * U, dz, G, Rt, U, dhm, U);
    scaleByMask(dhm, mask, BU);
    addInto(dh, dhm, BU);
    flushTiny(dh, BU);
    gemmTN(U, 2 * U, B, src, U, dz, G, dR, G);
    gemmTN(U, U, B, rh, U, dz + 2 * gOff, G, dR + 2 * gOff, G);
    inputGradients(B, D, G, stepRows(x, s, T, D, back), T * D, dz, Wt, dW, stepRows(dx, s, T, D, back), db64);
    restoreMasked(steps, s, T, B, U, back, dh, held);
  }
  finishBias(db, db64, G);
}

// ---------------------------------------------------------------- GRU (resetAfter true)

/**
 * tf.keras 2's default GRU: hh = act(x·W_h + b_h + r ⊙ (h(t-1)·R_h + b_rh)). bias is
 * [2, 3U] (input, then recurrent) or 0. gates [T, B, 3U] receives z, r and hh of every step,
 * followed by [T, B, U] for the candidate's recurrent part h(t-1)·R_h + b_rh. Scratch:
 * B·U + B·3U floats.
 */
export function gruResetAfterForward(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, bias: usize, mask: usize, steps: usize,
  act: i32, ract: i32, gates: usize, hs: usize, scratch: usize,
): void {
  gruResetAfterSteps(B, T, D, U, back, x, W, R, bias, mask, steps, act, ract, gates, hs, scratch, false);
}

/**
 * gruResetAfterForward for inference over token ids: tokens [B, T] (i32) pick rows of table
 * [V, 3U] (input product plus the input bias); bias is the whole [2, 3U] bias, of which the
 * recurrent half is read. gates holds one step [B, 3U] and its recurrent part [B, U], hs two
 * states [2, B, U] used in turn (the first zeroed by the caller); the last h ends in block T & 1.
 * Scratch: B·U + B·3U floats.
 */
export function gruResetAfterForwardTokens(
  B: i32, T: i32, U: i32, back: i32, tokens: usize, table: usize, R: usize, bias: usize, steps: usize,
  act: i32, ract: i32, gates: usize, hs: usize, scratch: usize,
): void {
  gruResetAfterSteps(B, T, 0, U, back, tokens, table, R, bias, 0, steps, act, ract, gates, hs, scratch, true);
}

@inline
function gruResetAfterSteps(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, bias: usize, mask: usize, steps: usize,
  act: i32, ract: i32, gates: usize, hs: usize, scratch: usize, fromTokens: bool,
): void {
  const G = 3 * U;
  const BU = B * U;
  const hm = scratch;
  const ah = carve(hm, BU);
  const rec = at(gates, (fromTokens ? 1 : T) * B * G);
  const recurrentBias: usize = bias == 0 ? 0 : at(bias, G);
  const gOff: usize = (<usize>U) << 2;
  const one = f32x4.splat(1);
  for (let s = 0; s < T; s++) {
    const gs = fromTokens ? gates : at(gates, s * B * G);
    inputProduct(gs, B, G, D, x, W, bias, s, T, back, fromTokens);
    const hPrev = at(hs, slot(s, fromTokens) * BU);
    startRows(ah, B, G, recurrentBias);
    gemm(B, G, U, maskedState(hPrev, mask, hm, BU), U, R, G, ah, G);
    const recS = fromTokens ? rec : at(rec, s * BU);
    const hNext = at(hs, slot(s + 1, fromTokens) * BU);
    for (let b = 0; b < B; b++) {
      const row = at(gs, b * G);
      const arow = at(ah, b * G);
      const so = at(0, b * U);
      for (let u = 0; u < U; u += 4) {
        const uo: usize = (<usize>u) << 2;
        const go = row + uo;
        const ao = arow + uo;
        const z = activate(ract, f32x4.add(v128.load(go), v128.load(ao)));
        const r = activate(ract, f32x4.add(v128.load(go + gOff), v128.load(ao + gOff)));
        const rh = v128.load(ao + 2 * gOff);
        const hh = activate(act, f32x4.add(v128.load(go + 2 * gOff), f32x4.mul(r, rh)));
        v128.store(go, z);
        v128.store(go + gOff, r);
        v128.store(go + 2 * gOff, hh);
        const o = so + uo;
        v128.store(recS + o, rh);
        v128.store(hNext + o, f32x4.add(f32x4.mul(z, v128.load(hPrev + o)), f32x4.mul(f32x4.sub(one, z), hh)));
      }
    }
    carryMasked(steps, s, T, B, U, back, hPrev, hNext);
  }
}

export function gruResetAfterBackward(
  B: i32, T: i32, D: i32, U: i32, back: i32, x: usize, W: usize, R: usize, mask: usize, steps: usize, act: i32, ract: i32,
  gates: usize, hs: usize, dy: usize, dySequences: i32,
  dx: usize, dW: usize, dR: usize, db: usize, scratch: usize,
): void {
  const G = 3 * U;
  const BU = B * U;
  const dh = scratch;
  const dhm = carve(dh, BU);
  const hm = carve(dhm, BU);
  const held = carve(hm, BU);
  const dzx = carve(held, BU); // gradients of the input pre-activations [B, 3U]
  const dza = carve(dzx, B * G); // and of the recurrent projection [B, 3U]
  const Wt = carve(dza, B * G);
  const Rt = carve(Wt, G * D);
  const db64 = carve(Rt, G * U); // [2, 3U] float64: input, then recurrent bias
  memory.fill(dh, 0, (<usize>BU) << 2);
  memory.fill(db64, 0, (<usize>(2 * G)) << 3);
  transpose(D, G, W, Wt);
  transpose(U, G, R, Rt);
  const rec = at(gates, T * B * G);
  const gOff: usize = (<usize>U) << 2;
  const one = f32x4.splat(1);
  for (let s = T - 1; s >= 0; s--) {
    addUpstream(dh, dy, dySequences, s, T, BU);
    holdMasked(steps, s, T, B, U, back, dh, held);
    const gs = at(gates, s * B * G);
    const hPrev = at(hs, s * BU);
    const recS = at(rec, s * BU);
    for (let b = 0; b < B; b++) {
      const row: usize = (<usize>(b * G)) << 2;
      const so = at(0, b * U);
      for (let u = 0; u < U; u += 4) {
        const go = row + ((<usize>u) << 2);
        const z = v128.load(gs + go), r = v128.load(gs + go + gOff), hh = v128.load(gs + go + 2 * gOff);
        const o = so + ((<usize>u) << 2);
        const dhv = v128.load(dh + o);
        const dhh = f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, z)), slope(act, hh));
        const dzz = f32x4.mul(f32x4.mul(dhv, f32x4.sub(v128.load(hPrev + o), hh)), slope(ract, z));
        const dzr = f32x4.mul(f32x4.mul(dhh, v128.load(recS + o)), slope(ract, r));
        v128.store(dzx + go, dzz);
        v128.store(dzx + go + gOff, dzr);
        v128.store(dzx + go + 2 * gOff, dhh);
        v128.store(dza + go, dzz);
        v128.store(dza + go + gOff, dzr);
        v128.store(dza + go + 2 * gOff, f32x4.mul(dhh, r));
        v128.store(dh + o, f32x4.mul(dhv, z)); // the direct path through z ⊙ h(t-1)
      }
    }
    memory.fill(dhm, 0, (<usize>BU) << 2);
    gemm(B, U, G, dza, G, Rt, U, dhm, U);
    scaleByMask(dhm, mask, BU);
    addInto(dh, dhm, BU);
    flushTiny(dh, BU);
    gemmTN(U, G, B, maskedState(hPrev, mask, hm, BU), U, dza, G, dR, G);
    inputGradients(B, D, G, stepRows(x, s, T, D, back), T * D, dzx, Wt, dW, stepRows(dx, s, T, D, back), db64);
    addColumnSums(db64 + ((<usize>G) << 3), dza, B, G);
    restoreMasked(steps, s, T, B, U, back, dh, held);
  }
  finishBias(db, db64, 2 * G);
}
