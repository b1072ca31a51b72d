// The GRU with resetAfter (tf.keras 2's default; tfjs's own GRU refuses it) against an
// independent reference: Keras's GRUCell formulas in float64, with gradients by central finite
// differences of that reference, on the WebAssembly and the JavaScript passes, with and
// without a step mask, and on the per-step fallback.

import { useWasmKernels } from '@seqlearn/backend';
import { createRng, type Rng } from '@seqlearn/dataset';
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../src/tf.js';
import { FusedGRU } from '../src/layers/fused-gru.js';
import { loadModel } from '../src/load-model.js';

const TOL = 1e-4;

type Act = 'tanh' | 'sigmoid' | 'hardSigmoid';

function act(name: Act, v: number): number {
  if (name === 'tanh') return Math.tanh(v);
  if (name === 'sigmoid') return 1 / (1 + Math.exp(-v));
  return Math.min(1, Math.max(0, 0.2 * v + 0.5));
}

interface Problem {
  batch: number;
  steps: number;
  inputDim: number;
  units: number;
  goBackwards: boolean;
  returnSequences: boolean;
  activation: Act;
  recurrentActivation: Act;
  /** [batch, steps], 0 at a padding step; null for none. */
  mask: Uint8Array | null;
}

/**
 * Keras 2's GRUCell (implementation 2, reset_after=True) stepped over the sequence in float64,
 * with Keras's masking (a masked step keeps the state and repeats the previous output).
 * params: x [B,T,D], kernel [D,3U], recurrent kernel [U,3U], bias [2,3U] or empty.
 */
function reference(p: Problem, x: Float64Array, W: Float64Array, R: Float64Array, bias: Float64Array): Float64Array {
  const { batch: B, steps: T, inputDim: D, units: U } = p;
  const G = 3 * U;
  const out = new Float64Array(p.returnSequences ? B * T * U : B * U);
  for (let b = 0; b < B; b++) {
    let h = new Float64Array(U);
    for (let s = 0; s < T; s++) {
      const t = p.goBackwards ? T - 1 - s : s;
      if (p.mask === null || p.mask[b * T + t] !== 0) {
        const mx = new Float64Array(G);
        const mi = new Float64Array(G);
        for (let g = 0; g < G; g++) {
          let ax = bias.length > 0 ? bias[g] : 0;
          for (let d = 0; d < D; d++) ax += x[(b * T + t) * D + d] * W[d * G + g];
          let ah = bias.length > 0 ? bias[G + g] : 0;
          for (let k = 0; k < U; k++) ah += h[k] * R[k * G + g];
          mx[g] = ax;
          mi[g] = ah;
        }
        const next = new Float64Array(U);
        for (let u = 0; u < U; u++) {
          const z = act(p.recurrentActivation, mx[u] + mi[u]);
          const r = act(p.recurrentActivation, mx[U + u] + mi[U + u]);
          const hh = act(p.activation, mx[2 * U + u] + r * mi[2 * U + u]);
          next[u] = z * h[u] + (1 - z) * hh;
        }
        h = next;
      }
      if (p.returnSequences) out.set(h, (b * T + s) * U);
    }
    if (!p.returnSequences) out.set(h, b * U);
  }
  return out;
}

function randomArray(rng: Rng, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
}

/** The reference loss sum(out ⊙ up) and its gradient by each parameter, by central differences. */
function referenceGradients(p: Problem, params: Float64Array[], up: Float64Array): { out: Float64Array; grads: Float64Array[] } {
  const loss = () => {
    const o = reference(p, params[0], params[1], params[2], params[3]);
    let l = 0;
    for (let i = 0; i < o.length; i++) l += o[i] * up[i];
    return l;
  };
  const eps = 1e-6;
  const grads = params.map((a) => {
    const g = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const keep = a[i];
      a[i] = keep + eps;
      const plus = loss();
      a[i] = keep - eps;
      const minus = loss();
      a[i] = keep;
      g[i] = (plus - minus) / (2 * eps);
    }
    return g;
  });
  return { out: reference(p, params[0], params[1], params[2], params[3]), grads };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(b.length).toBe(a.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return Number.isNaN(m) ? Infinity : m;
}

function randomMask(rng: Rng, batch: number, steps: number): Uint8Array {
  const m = new Uint8Array(batch * steps);
  for (let b = 0; b < batch; b++) {
    // Row 0 fully masked; the others padded at the start or the end, or with random holes.
    const kind = b === 0 ? 'empty' : (['pre', 'post', 'holes'] as const)[b % 3];
    const length = 1 + rng.nextInt(steps);
    for (let t = 0; t < steps; t++) {
      const keep = kind === 'empty' ? false : kind === 'pre' ? t >= steps - length : kind === 'post' ? t < length : rng.next() < 0.6;
      m[b * steps + t] = keep ? 1 : 0;
    }
  }
  return m;
}

/** The fused layer's output and gradients (x, kernel, recurrent kernel, bias) on the problem. */
function fusedGradients(p: Problem, params: Float64Array[], up: Float64Array, extra: Record<string, unknown> = {}) {
  const { batch: B, steps: T, inputDim: D, units: U } = p;
  const layer = new FusedGRU({
    units: U,
    resetAfter: true,
    returnSequences: p.returnSequences,
    goBackwards: p.goBackwards,
    activation: p.activation,
    recurrentActivation: p.recurrentActivation,
    useBias: params[3].length > 0,
    ...extra,
  });
  const x = tf.variable(tf.tensor3d(Float32Array.from(params[0]), [B, T, D]));
  tf.dispose(layer.apply(x) as tf.Tensor);
  const weights = [tf.tensor2d(Float32Array.from(params[1]), [D, 3 * U]), tf.tensor2d(Float32Array.from(params[2]), [U, 3 * U])];
  if (params[3].length > 0) weights.push(tf.tensor2d(Float32Array.from(params[3]), [2, 3 * U]));
  layer.setWeights(weights);
  const mask = p.mask === null ? null : tf.tensor2d(p.mask, [B, T], 'bool');
  const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  let output: tf.Tensor | null = null;
  const { grads } = tf.variableGrads(() => {
    let y = layer.apply(x, mask === null ? {} : { mask }) as tf.Tensor | tf.Tensor[];
    if (Array.isArray(y)) y = y[0];
    output = tf.keep(y.clone());
    return tf.sum(tf.mul(y, tf.tensor(Float32Array.from(up), y.shape)));
  }, vars);
  const result = { out: (output as unknown as tf.Tensor).dataSync(), grads: vars.map((v) => grads[v.name].dataSync()) };
  tf.dispose([x, output as unknown as tf.Tensor, ...weights, ...Object.values(grads)]);
  if (mask !== null) mask.dispose();
  return result;
}

function check(p: Problem, rng: Rng, where: string, extra: Record<string, unknown> = {}, useBias = true): void {
  const { batch: B, steps: T, inputDim: D, units: U } = p;
  const params = [
    randomArray(rng, B * T * D),
    randomArray(rng, D * 3 * U, 0.8),
    randomArray(rng, U * 3 * U, 0.8),
    useBias ? randomArray(rng, 6 * U, 0.5) : new Float64Array(0),
  ];
  const up = randomArray(rng, p.returnSequences ? B * T * U : B * U);
  const want = referenceGradients(p, params, up);
  const got = fusedGradients(p, params, up, extra);
  expect(maxAbsDiff(want.out, got.out), `${where}: output`).toBeLessThan(TOL);
  const names = ['x', 'kernel', 'recurrent_kernel', 'bias'];
  for (let i = 0; i < want.grads.length; i++) {
    if (want.grads[i].length === 0) continue;
    expect(maxAbsDiff(want.grads[i], got.grads[i]), `${where}: gradient of ${names[i]}`).toBeLessThan(TOL);
  }
}

afterAll(() => {
  useWasmKernels(true);
});

describe('GRU resetAfter: true matches a float64 reference of Keras’s GRUCell (outputs and gradients)', () => {
  const paths = [
    { name: 'WebAssembly', wasm: true, units: [4, 8] },
    { name: 'JavaScript', wasm: false, units: [3, 4, 5] },
  ];
  for (const path of paths) {
    for (const masked of [false, true]) {
      it(`${path.name} path, ${masked ? 'with' : 'without'} a step mask, on random shapes`, () => {
        useWasmKernels(path.wasm);
        const rng = createRng(61 + (path.wasm ? 0 : 10) + (masked ? 1 : 0));
        for (let trial = 0; trial < 8; trial++) {
          const batch = trial === 7 ? 9 : 1 + rng.nextInt(4); // 9 splits over two threads
          const steps = 2 + rng.nextInt(4);
          const p: Problem = {
            batch,
            steps,
            inputDim: 1 + rng.nextInt(3),
            units: path.units[rng.nextInt(path.units.length)],
            goBackwards: trial % 4 >= 2,
            returnSequences: trial % 2 === 0,
            activation: trial === 5 ? 'sigmoid' : 'tanh',
            recurrentActivation: trial % 3 === 1 ? 'hardSigmoid' : 'sigmoid',
            mask: masked ? randomMask(rng, batch, steps) : null,
          };
          check(p, rng, `trial ${trial}`, {}, trial !== 6);
        }
        useWasmKernels(true);
      });
    }
  }

  it('the per-step fallback (returnState) computes the same', () => {
    const rng = createRng(71);
    const p: Problem = {
      batch: 3,
      steps: 4,
      inputDim: 2,
      units: 4,
      goBackwards: true,
      returnSequences: true,
      activation: 'tanh',
      recurrentActivation: 'sigmoid',
      mask: null,
    };
    check(p, rng, 'returnState', { returnState: true });
  });
});

describe('GRU resetAfter: true as a layer', () => {
  it('has Keras’s weights (bias [2, 3·units]) and carries resetAfter in its config through save and load', async () => {
    const m = tf.sequential({
      layers: [new FusedGRU({ units: 4, resetAfter: true, inputShape: [5, 3], seed: 2 }), tf.layers.dense({ units: 1 })],
    });
    const gru = m.layers[0] as FusedGRU;
    expect(gru.getConfig()['resetAfter']).toBe(true);
    expect(m.weights.slice(0, 3).map((w) => w.shape)).toEqual([
      [3, 12],
      [4, 12],
      [2, 12],
    ]);
    expect(new FusedGRU({ units: 4 }).getConfig()['resetAfter']).toBe(false);
    let saved: tf.io.ModelArtifacts | undefined;
    await m.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await loadModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect((loaded.layers[0] as FusedGRU).resetAfter).toBe(true);
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 3);
    const a = (m.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
  });

  it('differs from resetAfter: false on the same kernels (the flag is not ignored)', () => {
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 4);
    const after = new FusedGRU({ units: 4, resetAfter: true, useBias: false });
    const before = new FusedGRU({ units: 4, useBias: false });
    tf.dispose([after.apply(x) as tf.Tensor, before.apply(x) as tf.Tensor]);
    before.setWeights(after.getWeights());
    const d = maxAbsDiff((after.apply(x) as tf.Tensor).dataSync(), (before.apply(x) as tf.Tensor).dataSync());
    expect(d).toBeGreaterThan(1e-3);
  });
});

describe('the zoo’s resetAfter option', () => {
  it('builds a fused GRU with resetAfter, and refuses it where it cannot hold', async () => {
    const { gru, lstm, ModelConfigError } = await import('../src/index.js');
    const model = gru({ numWords: 30, embeddingDim: 4, units: 4, maxlen: 6, resetAfter: true });
    const layer = model.layers[1] as FusedGRU;
    expect(layer.resetAfter).toBe(true);
    expect(layer.getWeights()[2].shape).toEqual([2, 12]);
    expect(() => gru({ numWords: 30, units: 4, resetAfter: true, recurrentImpl: 'stock' })).toThrow(ModelConfigError);
    expect(() => lstm({ numWords: 30, units: 4, resetAfter: true })).toThrow(/GRU option/);
    model.dispose();
  });
});
