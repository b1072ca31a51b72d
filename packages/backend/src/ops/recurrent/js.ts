// The JavaScript path of the whole-sequence SimpleRNN, LSTM and GRU passes: what runs when the
// WebAssembly module is not built, is switched off, or the units do not split into SIMD
// vectors. Layouts and dropout are described in types.ts. Internally everything is time-major
// in processing order (step s reads time index steps-1-s when goBackwards), so that the input
// projection of all steps is one matrix product and so are the weight gradients after the
// backward loop.

import { gemmNN, gemmNT, gemmTN } from '../../kernels/matmul-gemm.js';
import { activate, activationSlope } from './activations.js';
import { batchMajorSteps, type SequenceProblem, type SequenceResult, type SequenceWeights } from './types.js';

/** The JavaScript pass; `runSequence` (index.ts) picks between it and the WebAssembly one. */
export function jsSequence(p: SequenceProblem, x: Float32Array, w: SequenceWeights): SequenceResult {
  switch (p.cell) {
    case 'lstm':
      return lstm(p, x, w);
    case 'gru':
      return p.resetAfter === true ? gruResetAfter(p, x, w) : gru(p, x, w);
    default:
      return simpleRnn(p, x, w);
  }
}

/** x [B,T,D] → masked, time-major, processing order [T,B,D]. */
function timeMajorInputs(p: SequenceProblem, x: Float32Array): Float32Array {
  const { batch: B, steps: T, inputDim: D, inputMask: m } = p;
  const xd = new Float32Array(T * B * D);
  for (let s = 0; s < T; s++) {
    const t = p.goBackwards ? T - 1 - s : s;
    for (let b = 0; b < B; b++) {
      const src = (b * T + t) * D;
      const dst = (s * B + b) * D;
      if (m === null) {
        xd.set(x.subarray(src, src + D), dst);
      } else {
        const mo = b * D;
        for (let d = 0; d < D; d++) xd[dst + d] = x[src + d] * m[mo + d];
      }
    }
  }
  return xd;
}

/** [T·B, G] = xd · kernel + bias */
function projectInputs(p: SequenceProblem, xd: Float32Array, w: SequenceWeights, G: number): Float32Array {
  const rows = p.steps * p.batch;
  const a = new Float32Array(rows * G);
  if (w.bias !== null) {
    for (let r = 0; r < rows; r++) a.set(w.bias, r * G);
  }
  gemmNN(rows, G, p.inputDim, xd, 0, p.inputDim, w.kernel, 0, G, a, 0, G);
  return a;
}

/** hs holds h before each step: [(T+1), B, U]; the output is h after each step, batch-major. */
function collectOutput(p: SequenceProblem, hs: Float32Array): Float32Array {
  const { batch: B, steps: T, units: U } = p;
  if (!p.returnSequences) return hs.slice(T * B * U, (T + 1) * B * U);
  return batchMajorSteps(p, hs.subarray(B * U));
}

/** Adds the upstream gradient for h after step s into dh [B,U]. */
function addUpstream(p: SequenceProblem, dy: Float32Array, s: number, dh: Float32Array): void {
  const { batch: B, steps: T, units: U } = p;
  if (p.returnSequences) {
    for (let b = 0; b < B; b++) {
      const src = (b * T + s) * U;
      const dst = b * U;
      for (let u = 0; u < U; u++) dh[dst + u] += dy[src + u];
    }
  } else if (s === T - 1) {
    for (let i = 0; i < B * U; i++) dh[i] += dy[i];
  }
}

/** h (t-1) as it enters the recurrent product: masked copy, or the stored h itself. */
function maskedState(p: SequenceProblem, hs: Float32Array, s: number, hm: Float32Array | null): [Float32Array, number] {
  const BU = p.batch * p.units;
  const m = p.recurrentMask;
  if (m === null || hm === null) return [hs, s * BU];
  const off = s * BU;
  for (let i = 0; i < BU; i++) hm[off + i] = hs[off + i] * m[i];
  return [hm, off];
}

/** Gradients of kernel, bias and x from the pre-activation gradients dz [T·B, G]. */
function inputGradients(
  p: SequenceProblem,
  xd: Float32Array,
  w: SequenceWeights,
  dz: Float32Array,
  G: number,
): { x: Float32Array; kernel: Float32Array; bias: Float32Array | null } {
  const { batch: B, steps: T, inputDim: D } = p;
  const rows = T * B;
  const kernel = new Float32Array(D * G);
  gemmTN(D, G, rows, xd, 0, D, dz, 0, G, kernel, 0, G);
  let bias: Float32Array | null = null;
  if (w.bias !== null) {
    const acc = new Float64Array(G);
    for (let r = 0; r < rows; r++) {
      const o = r * G;
      for (let g = 0; g < G; g++) acc[g] += dz[o + g];
    }
    bias = Float32Array.from(acc);
  }
  const dxd = new Float32Array(rows * D);
  gemmNT(rows, D, G, dz, 0, G, w.kernel, 0, G, dxd, 0, D);
  return { x: batchMajorInputGradient(p, dxd), kernel, bias };
}

/** The input gradient back from time-major processing order [T,B,D] to x's [B,T,D], masked. */
function batchMajorInputGradient(p: SequenceProblem, dxd: Float32Array): Float32Array {
  const { batch: B, steps: T, inputDim: D } = p;
  const x = new Float32Array(B * T * D);
  const m = p.inputMask;
  for (let s = 0; s < T; s++) {
    const t = p.goBackwards ? T - 1 - s : s;
    for (let b = 0; b < B; b++) {
      const src = (s * B + b) * D;
      const dst = (b * T + t) * D;
      if (m === null) {
        x.set(dxd.subarray(src, src + D), dst);
      } else {
        const mo = b * D;
        for (let d = 0; d < D; d++) x[dst + d] = dxd[src + d] * m[mo + d];
      }
    }
  }
  return x;
}

/**
 * Rows whose step s is masked keep the state they had before it: block s+1 of each state
 * sequence ([(T+1), B, U]) takes block s's row.
 */
function carryMasked(p: SequenceProblem, s: number, states: Float32Array[]): void {
  const m = p.stepMask;
  if (m == null) return;
  const { batch: B, steps: T, units: U } = p;
  const t = p.goBackwards ? T - 1 - s : s;
  const from = s * B * U;
  const to = from + B * U;
  for (let b = 0; b < B; b++) {
    if (m[b * T + t] !== 0) continue;
    for (const st of states) st.copyWithin(to + b * U, from + b * U, from + (b + 1) * U);
  }
}

/**
 * Going back through step s: the state gradients ([B, U] each) of the rows masked at that step
 * move into `held` and are zeroed, so the step contributes nothing for them (restoreMasked then
 * puts them back: through a masked step the gradient passes unchanged). Null without a mask.
 */
function holdMasked(p: SequenceProblem, s: number, grads: Float32Array[], held: Float32Array[] | null): void {
  const m = p.stepMask;
  if (m == null || held === null) return;
  const { batch: B, steps: T, units: U } = p;
  const t = p.goBackwards ? T - 1 - s : s;
  for (let b = 0; b < B; b++) {
    if (m[b * T + t] !== 0) continue;
    for (let k = 0; k < grads.length; k++) {
      held[k].set(grads[k].subarray(b * U, (b + 1) * U), b * U);
      grads[k].fill(0, b * U, (b + 1) * U);
    }
  }
}

function restoreMasked(p: SequenceProblem, s: number, grads: Float32Array[], held: Float32Array[] | null): void {
  const m = p.stepMask;
  if (m == null || held === null) return;
  const { batch: B, steps: T, units: U } = p;
  const t = p.goBackwards ? T - 1 - s : s;
  for (let b = 0; b < B; b++) {
    if (m[b * T + t] !== 0) continue;
    for (let k = 0; k < grads.length; k++) grads[k].set(held[k].subarray(b * U, (b + 1) * U), b * U);
  }
}

/** Room for `count` held state gradients when the problem has a step mask, else null. */
function heldBuffers(p: SequenceProblem, count: number): Float32Array[] | null {
  if (p.stepMask == null) return null;
  return Array.from({ length: count }, () => new Float32Array(p.batch * p.units));
}

function simpleRnn(p: SequenceProblem, x: Float32Array, w: SequenceWeights): SequenceResult {
  const { batch: B, steps: T, units: U } = p;
  const BU = B * U;
  const act = p.activation;
  const xd = timeMajorInputs(p, x);
  const a = projectInputs(p, xd, w, U);
  const hs = new Float32Array((T + 1) * BU);
  const hm = p.recurrentMask === null ? null : new Float32Array(T * BU);
  for (let s = 0; s < T; s++) {
    const [src, off] = maskedState(p, hs, s, hm);
    const ao = s * BU;
    gemmNN(B, U, U, src, off, U, w.recurrentKernel, 0, U, a, ao, U);
    const ho = (s + 1) * BU;
    for (let i = 0; i < BU; i++) hs[ho + i] = activate(act, a[ao + i]);
    carryMasked(p, s, [hs]);
  }
  return {
    output: collectOutput(p, hs),
    backward(dy) {
      const dz = new Float32Array(T * BU);
      const dh = new Float32Array(BU);
      const m = p.recurrentMask;
      const held = heldBuffers(p, 1);
      for (let s = T - 1; s >= 0; s--) {
        addUpstream(p, dy, s, dh);
        holdMasked(p, s, [dh], held);
        const zo = s * BU;
        const ho = (s + 1) * BU;
        for (let i = 0; i < BU; i++) dz[zo + i] = dh[i] * activationSlope(act, hs[ho + i]);
        dh.fill(0);
        gemmNT(B, U, U, dz, zo, U, w.recurrentKernel, 0, U, dh, 0, U);
        if (m !== null) for (let i = 0; i < BU; i++) dh[i] *= m[i];
        restoreMasked(p, s, [dh], held);
      }
      const recurrentKernel = new Float32Array(U * U);
      gemmTN(U, U, T * B, hm ?? hs, 0, U, dz, 0, U, recurrentKernel, 0, U);
      return { ...inputGradients(p, xd, w, dz, U), recurrentKernel };
    },
  };
}

function lstm(p: SequenceProblem, x: Float32Array, w: SequenceWeights): SequenceResult {
  const { batch: B, steps: T, units: U } = p;
  const G = 4 * U;
  const BU = B * U;
  const act = p.activation;
  const ract = p.recurrentActivation;
  const xd = timeMajorInputs(p, x);
  // a: pre-activations, then (in place) the gate values i, f, g, o for every step.
  const a = projectInputs(p, xd, w, G);
  const hs = new Float32Array((T + 1) * BU);
  const cs = new Float32Array((T + 1) * BU);
  const tc = new Float32Array(T * BU); // activation(c) after each step
  const hm = p.recurrentMask === null ? null : new Float32Array(T * BU);
  for (let s = 0; s < T; s++) {
    const [src, off] = maskedState(p, hs, s, hm);
    gemmNN(B, G, U, src, off, U, w.recurrentKernel, 0, G, a, s * B * G, G);
    for (let b = 0; b < B; b++) {
      const go = (s * B + b) * G;
      const so = s * BU + b * U;
      const no = so + BU;
      for (let u = 0; u < U; u++) {
        const ig = activate(ract, a[go + u]);
        const fg = activate(ract, a[go + U + u]);
        const gg = activate(act, a[go + 2 * U + u]);
        const og = activate(ract, a[go + 3 * U + u]);
        a[go + u] = ig;
        a[go + U + u] = fg;
        a[go + 2 * U + u] = gg;
        a[go + 3 * U + u] = og;
        const c = fg * cs[so + u] + ig * gg;
        cs[no + u] = c;
        const t = activate(act, c);
        tc[so + u] = t;
        hs[no + u] = og * t;
      }
    }
    carryMasked(p, s, [hs, cs]);
  }
  return {
    output: collectOutput(p, hs),
    backward(dy) {
      const dz = new Float32Array(T * B * G);
      const dh = new Float32Array(BU);
      const dc = new Float32Array(BU);
      const m = p.recurrentMask;
      const held = heldBuffers(p, 2);
      for (let s = T - 1; s >= 0; s--) {
        addUpstream(p, dy, s, dh);
        holdMasked(p, s, [dh, dc], held);
        for (let b = 0; b < B; b++) {
          const go = (s * B + b) * G;
          const so = s * BU + b * U;
          const bo = b * U;
          for (let u = 0; u < U; u++) {
            const ig = a[go + u],
              fg = a[go + U + u],
              gg = a[go + 2 * U + u],
              og = a[go + 3 * U + u];
            const t = tc[so + u];
            const dhv = dh[bo + u];
            const dcv = dc[bo + u] + dhv * og * activationSlope(act, t);
            dz[go + u] = dcv * gg * activationSlope(ract, ig);
            dz[go + U + u] = dcv * cs[so + u] * activationSlope(ract, fg);
            dz[go + 2 * U + u] = dcv * ig * activationSlope(act, gg);
            dz[go + 3 * U + u] = dhv * t * activationSlope(ract, og);
            dc[bo + u] = dcv * fg;
          }
        }
        dh.fill(0);
        gemmNT(B, U, G, dz, s * B * G, G, w.recurrentKernel, 0, G, dh, 0, U);
        if (m !== null) for (let i = 0; i < BU; i++) dh[i] *= m[i];
        restoreMasked(p, s, [dh, dc], held);
      }
      const recurrentKernel = new Float32Array(U * G);
      gemmTN(U, G, T * B, hm ?? hs, 0, U, dz, 0, G, recurrentKernel, 0, G);
      return { ...inputGradients(p, xd, w, dz, G), recurrentKernel };
    },
  };
}

function gru(p: SequenceProblem, x: Float32Array, w: SequenceWeights): SequenceResult {
  const { batch: B, steps: T, units: U } = p;
  const G = 3 * U;
  const BU = B * U;
  const act = p.activation;
  const ract = p.recurrentActivation;
  const R = w.recurrentKernel;
  const xd = timeMajorInputs(p, x);
  // a: pre-activations, then (in place) z, r and the candidate hh for every step.
  const a = projectInputs(p, xd, w, G);
  const hs = new Float32Array((T + 1) * BU);
  const rh = new Float32Array(T * BU); // r ⊙ masked h(t-1)
  const hm = p.recurrentMask === null ? null : new Float32Array(T * BU);
  for (let s = 0; s < T; s++) {
    const [src, off] = maskedState(p, hs, s, hm);
    const sg = s * B * G;
    gemmNN(B, 2 * U, U, src, off, U, R, 0, G, a, sg, G);
    for (let b = 0; b < B; b++) {
      const go = sg + b * G;
      const bo = b * U;
      for (let u = 0; u < U; u++) {
        const z = activate(ract, a[go + u]);
        const r = activate(ract, a[go + U + u]);
        a[go + u] = z;
        a[go + U + u] = r;
        rh[s * BU + bo + u] = r * src[off + bo + u];
      }
    }
    gemmNN(B, U, U, rh, s * BU, U, R, 2 * U, G, a, sg + 2 * U, G);
    const ho = s * BU;
    for (let b = 0; b < B; b++) {
      const go = sg + b * G;
      const bo = b * U;
      for (let u = 0; u < U; u++) {
        const hh = activate(act, a[go + 2 * U + u]);
        a[go + 2 * U + u] = hh;
        const z = a[go + u];
        hs[ho + BU + bo + u] = z * hs[ho + bo + u] + (1 - z) * hh;
      }
    }
    carryMasked(p, s, [hs]);
  }
  return {
    output: collectOutput(p, hs),
    backward(dy) {
      const dz = new Float32Array(T * B * G);
      const dh = new Float32Array(BU);
      const drh = new Float32Array(BU);
      const dhm = new Float32Array(BU);
      const m = p.recurrentMask;
      const held = heldBuffers(p, 1);
      for (let s = T - 1; s >= 0; s--) {
        addUpstream(p, dy, s, dh);
        holdMasked(p, s, [dh], held);
        const sg = s * B * G;
        const ho = s * BU;
        const hmSrc = hm ?? hs;
        for (let b = 0; b < B; b++) {
          const go = sg + b * G;
          const bo = b * U;
          for (let u = 0; u < U; u++) {
            const z = a[go + u],
              hh = a[go + 2 * U + u];
            const dhv = dh[bo + u];
            dz[go + u] = dhv * (hs[ho + bo + u] - hh) * activationSlope(ract, z);
            dz[go + 2 * U + u] = dhv * (1 - z) * activationSlope(act, hh);
            dh[bo + u] = dhv * z; // the direct path through z ⊙ h(t-1)
          }
        }
        drh.fill(0);
        gemmNT(B, U, U, dz, sg + 2 * U, G, R, 2 * U, G, drh, 0, U);
        for (let b = 0; b < B; b++) {
          const go = sg + b * G;
          const bo = b * U;
          for (let u = 0; u < U; u++) {
            const r = a[go + U + u];
            dz[go + U + u] = drh[bo + u] * hmSrc[ho + bo + u] * activationSlope(ract, r);
            dhm[bo + u] = drh[bo + u] * r;
          }
        }
        gemmNT(B, U, 2 * U, dz, sg, G, R, 0, G, dhm, 0, U);
        if (m !== null) for (let i = 0; i < BU; i++) dh[i] += dhm[i] * m[i];
        else for (let i = 0; i < BU; i++) dh[i] += dhm[i];
        restoreMasked(p, s, [dh], held);
      }
      const recurrentKernel = new Float32Array(U * G);
      gemmTN(U, 2 * U, T * B, hm ?? hs, 0, U, dz, 0, G, recurrentKernel, 0, G);
      gemmTN(U, U, T * B, rh, 0, U, dz, 2 * U, G, recurrentKernel, 2 * U, G);
      return { ...inputGradients(p, xd, w, dz, G), recurrentKernel };
    },
  };
}

/**
 * GRU with resetAfter (tf.keras 2's default): the recurrent projection of all three gates is
 * one product with its own bias, and the reset gate scales the candidate's share of it:
 * hh = act(x·W_h + b_h + r ⊙ (h(t-1)·R_h + b_rh)).
 */
function gruResetAfter(p: SequenceProblem, x: Float32Array, w: SequenceWeights): SequenceResult {
  const { batch: B, steps: T, units: U } = p;
  const G = 3 * U;
  const BU = B * U;
  const act = p.activation;
  const ract = p.recurrentActivation;
  const R = w.recurrentKernel;
  const inputWeights = { ...w, bias: w.bias === null ? null : w.bias.subarray(0, G) };
  const recurrentBias = w.bias === null ? null : w.bias.subarray(G, 2 * G);
  const xd = timeMajorInputs(p, x);
  // a: input pre-activations, then (in place) z, r and the candidate hh for every step.
  const a = projectInputs(p, xd, inputWeights, G);
  const hs = new Float32Array((T + 1) * BU);
  const rec = new Float32Array(T * BU); // the candidate's recurrent part, h(t-1)·R_h + b_rh
  const hm = p.recurrentMask === null ? null : new Float32Array(T * BU);
  const ah = new Float32Array(B * G); // one step's recurrent projection
  for (let s = 0; s < T; s++) {
    const [src, off] = maskedState(p, hs, s, hm);
    if (recurrentBias === null) ah.fill(0);
    else for (let b = 0; b < B; b++) ah.set(recurrentBias, b * G);
    gemmNN(B, G, U, src, off, U, R, 0, G, ah, 0, G);
    const sg = s * B * G;
    const ho = s * BU;
    for (let b = 0; b < B; b++) {
      const go = sg + b * G;
      const ro = b * G;
      const bo = b * U;
      for (let u = 0; u < U; u++) {
        const z = activate(ract, a[go + u] + ah[ro + u]);
        const r = activate(ract, a[go + U + u] + ah[ro + U + u]);
        const rh = ah[ro + 2 * U + u];
        rec[ho + bo + u] = rh;
        const hh = activate(act, a[go + 2 * U + u] + r * rh);
        a[go + u] = z;
        a[go + U + u] = r;
        a[go + 2 * U + u] = hh;
        hs[ho + BU + bo + u] = z * hs[ho + bo + u] + (1 - z) * hh;
      }
    }
    carryMasked(p, s, [hs]);
  }
  return {
    output: collectOutput(p, hs),
    backward(dy) {
      // dzx: gradients of the input pre-activations; dza: of the recurrent projection (the
      // same for z and r, times r for the candidate).
      const dzx = new Float32Array(T * B * G);
      const dza = new Float32Array(T * B * G);
      const dh = new Float32Array(BU);
      const dhm = new Float32Array(BU);
      const m = p.recurrentMask;
      const held = heldBuffers(p, 1);
      for (let s = T - 1; s >= 0; s--) {
        addUpstream(p, dy, s, dh);
        holdMasked(p, s, [dh], held);
        const sg = s * B * G;
        const ho = s * BU;
        for (let b = 0; b < B; b++) {
          const go = sg + b * G;
          const bo = b * U;
          for (let u = 0; u < U; u++) {
            const z = a[go + u],
              r = a[go + U + u],
              hh = a[go + 2 * U + u];
            const dhv = dh[bo + u];
            const dhh = dhv * (1 - z) * activationSlope(act, hh);
            const dzz = dhv * (hs[ho + bo + u] - hh) * activationSlope(ract, z);
            const dzr = dhh * rec[ho + bo + u] * activationSlope(ract, r);
            dzx[go + u] = dzz;
            dzx[go + U + u] = dzr;
            dzx[go + 2 * U + u] = dhh;
            dza[go + u] = dzz;
            dza[go + U + u] = dzr;
            dza[go + 2 * U + u] = dhh * r;
            dh[bo + u] = dhv * z; // the direct path through z ⊙ h(t-1)
          }
        }
        dhm.fill(0);
        gemmNT(B, U, G, dza, sg, G, R, 0, G, dhm, 0, U);
        if (m !== null) for (let i = 0; i < BU; i++) dh[i] += dhm[i] * m[i];
        else for (let i = 0; i < BU; i++) dh[i] += dhm[i];
        restoreMasked(p, s, [dh], held);
      }
      const recurrentKernel = new Float32Array(U * G);
      gemmTN(U, G, T * B, hm ?? hs, 0, U, dza, 0, G, recurrentKernel, 0, G);
      const input = inputGradients(p, xd, inputWeights, dzx, G);
      let bias: Float32Array | null = null;
      if (input.bias !== null) {
        const acc = new Float64Array(G);
        for (let r = 0; r < T * B; r++) {
          const o = r * G;
          for (let g = 0; g < G; g++) acc[g] += dza[o + g];
        }
        bias = new Float32Array(2 * G);
        bias.set(input.bias);
        for (let g = 0; g < G; g++) bias[G + g] = acc[g];
      }
      return { x: input.x, kernel: input.kernel, bias, recurrentKernel };
    },
  };
}
