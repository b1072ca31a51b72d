// Whole-sequence forward and backward passes of SimpleRNN, LSTM and GRU over Float32Arrays.
//
// Layouts follow tfjs/Keras: x is [batch, steps, inputDim]; kernel [inputDim, gates·units];
// recurrentKernel [units, gates·units]; bias [gates·units]; gate order i,f,c,o (LSTM) and
// z,r,h (GRU, resetAfter false). Internally everything is time-major in processing order
// (step s reads time index steps-1-s when goBackwards), so that the input projection of all
// steps is one matrix product and so are the weight gradients after the backward loop.
//
// Dropout (training only): one input mask [batch, inputDim] and one recurrent mask
// [batch, units], each drawn once per sequence and shared by every gate, already scaled by
// 1/(1-rate). The input mask multiplies x before the kernel; the recurrent mask multiplies
// h(t-1) where it enters a product with the recurrent kernel (for GRU: both the z/r product and
// r ⊙ h(t-1)). The carried state itself is never masked (GRU's z ⊙ h(t-1) uses the clean h).

import { recurrentForward, wasmRecurrentSupports, type RecurrentShape } from '@seqlearn/backend';
import { activate, activationSlope } from './fused-activations.js';
import { gemmNN, gemmNT, gemmTN } from './fused-gemm.js';

export type CellKind = 'simpleRNN' | 'lstm' | 'gru';

export interface SequenceProblem {
  cell: CellKind;
  batch: number;
  steps: number;
  inputDim: number;
  units: number;
  goBackwards: boolean;
  returnSequences: boolean;
  /** Activation codes from fused-activations. SimpleRNN ignores recurrentActivation. */
  activation: number;
  recurrentActivation: number;
  /** [batch, inputDim], already scaled; null for no input dropout. */
  inputMask: Float32Array | null;
  /** [batch, units], already scaled; null for no recurrent dropout. */
  recurrentMask: Float32Array | null;
}

export interface SequenceWeights {
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array | null;
}

export interface SequenceGradients {
  x: Float32Array;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array | null;
}

export interface SequenceResult {
  /** [batch, steps, units] when returnSequences, else [batch, units]. */
  output: Float32Array;
  /** Backpropagation through time for an upstream gradient shaped like output. */
  backward(dy: Float32Array): SequenceGradients;
}

export function gateCount(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/**
 * Runs the sequence in the WebAssembly module of @seqlearn/backend when it is built and the
 * units split into SIMD vectors, else in the JavaScript below (the same math). Without
 * `forBackward` (no gradients being recorded) the WebAssembly pass keeps no states and
 * `backward` throws.
 */
export function runSequence(p: SequenceProblem, x: Float32Array, w: SequenceWeights, forBackward = true): SequenceResult {
  if (wasmRecurrentSupports(p.units)) return wasmSequence(p, x, w, forBackward);
  switch (p.cell) {
    case 'lstm':
      return lstm(p, x, w);
    case 'gru':
      return gru(p, x, w);
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
  p: SequenceProblem, xd: Float32Array, w: SequenceWeights, dz: Float32Array, G: number,
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

/** [A, C, U] → [C, A, U]: swaps batch-major and time-major layouts of per-step vectors. */
function swapLeadingAxes(src: Float32Array, A: number, C: number, U: number): Float32Array {
  const out = new Float32Array(A * C * U);
  for (let a = 0; a < A; a++) {
    for (let c = 0; c < C; c++) {
      const from = (a * C + c) * U;
      out.set(src.subarray(from, from + U), (c * A + a) * U);
    }
  }
  return out;
}

/** x [B,T,D] times the input mask [B,D] (every step alike); x itself when there is none. */
function maskedInputs(p: SequenceProblem, x: Float32Array): Float32Array {
  const m = p.inputMask;
  if (m === null) return x;
  const { batch: B, steps: T, inputDim: D } = p;
  const out = new Float32Array(x.length);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const o = (b * T + t) * D;
      for (let d = 0; d < D; d++) out[o + d] = x[o + d] * m[b * D + d];
    }
  }
  return out;
}

function wasmSequence(p: SequenceProblem, x: Float32Array, w: SequenceWeights, forBackward: boolean): SequenceResult {
  const shape: RecurrentShape = {
    cell: p.cell, batch: p.batch, steps: p.steps, inputDim: p.inputDim, units: p.units, goBackwards: p.goBackwards,
    activation: p.activation, recurrentActivation: p.recurrentActivation,
  };
  const pass = recurrentForward(shape, maskedInputs(p, x), { ...w, recurrentMask: p.recurrentMask }, {
    forBackward, allSteps: p.returnSequences,
  });
  return {
    output: p.returnSequences ? batchMajorSteps(p, pass.steps as Float32Array) : pass.last,
    backward(dy) {
      // The upstream gradient of every step's output, [B,T,U] → time-major [T,B,U].
      const upstream = p.returnSequences ? swapLeadingAxes(dy, p.batch, p.steps, p.units) : dy;
      const g = pass.backward(upstream, p.returnSequences);
      // d(x ⊙ m)/dx is m, the same product again.
      return { x: maskedInputs(p, g.x), kernel: g.kernel, recurrentKernel: g.recurrentKernel, bias: w.bias === null ? null : g.bias };
    },
  };
}

/** h after every step, time-major [T,B,U] → the layer's [B,T,U]. */
function batchMajorSteps(p: SequenceProblem, steps: Float32Array): Float32Array {
  return swapLeadingAxes(steps, p.steps, p.batch, p.units);
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
  }
  return {
    output: collectOutput(p, hs),
    backward(dy) {
      const dz = new Float32Array(T * BU);
      const dh = new Float32Array(BU);
      const m = p.recurrentMask;
      for (let s = T - 1; s >= 0; s--) {
        addUpstream(p, dy, s, dh);
        const zo = s * BU;
        const ho = (s + 1) * BU;
        for (let i = 0; i < BU; i++) dz[zo + i] = dh[i] * activationSlope(act, hs[ho + i]);
        dh.fill(0);
        gemmNT(B, U, U, dz, zo, U, w.recurrentKernel, 0, U, dh, 0, U);
        if (m !== null) for (let i = 0; i < BU; i++) dh[i] *= m[i];
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
  }
  return {
    output: collectOutput(p, hs),
    backward(dy) {
      const dz = new Float32Array(T * B * G);
      const dh = new Float32Array(BU);
      const dc = new Float32Array(BU);
      const m = p.recurrentMask;
      for (let s = T - 1; s >= 0; s--) {
        addUpstream(p, dy, s, dh);
        for (let b = 0; b < B; b++) {
          const go = (s * B + b) * G;
          const so = s * BU + b * U;
          const bo = b * U;
          for (let u = 0; u < U; u++) {
            const ig = a[go + u], fg = a[go + U + u], gg = a[go + 2 * U + u], og = a[go + 3 * U + u];
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
  }
  return {
    output: collectOutput(p, hs),
    backward(dy) {
      const dz = new Float32Array(T * B * G);
      const dh = new Float32Array(BU);
      const drh = new Float32Array(BU);
      const dhm = new Float32Array(BU);
      const m = p.recurrentMask;
      for (let s = T - 1; s >= 0; s--) {
        addUpstream(p, dy, s, dh);
        const sg = s * B * G;
        const ho = s * BU;
        const hmSrc = hm ?? hs;
        for (let b = 0; b < B; b++) {
          const go = sg + b * G;
          const bo = b * U;
          for (let u = 0; u < U; u++) {
            const z = a[go + u], hh = a[go + 2 * U + u];
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
      }
      const recurrentKernel = new Float32Array(U * G);
      gemmTN(U, 2 * U, T * B, hm ?? hs, 0, U, dz, 0, G, recurrentKernel, 0, G);
      gemmTN(U, U, T * B, rh, 0, U, dz, 2 * U, G, recurrentKernel, 2 * U, G);
      return { ...inputGradients(p, xd, w, dz, G), recurrentKernel };
    },
  };
}
