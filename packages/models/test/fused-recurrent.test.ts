import { ACT_HARD_SIGMOID, ACT_TANH, wasmRecurrentSupports, type RecurrentCell } from '@seqlearn/backend/ops';
import { createRng, type Rng } from '@seqlearn/dataset';
import { describe, expect, it } from 'vitest';
import { tf } from '../src/tf.js';
import { FusedGRU } from '../src/layers/fused-gru.js';
import { FusedLSTM } from '../src/layers/fused-lstm.js';
import { FusedSimpleRNN } from '../src/layers/fused-simple-rnn.js';
import { FusedBidirectional, fusedBidirectional } from '../src/layers/fused-bidirectional.js';
import { loadModel } from '../src/load-model.js';
import { dropoutMask, runFused } from '../src/layers/fused-recurrent-call.js';

type Kind = RecurrentCell;
const TOL = 1e-4;

function stockLayer(kind: Kind, config: Record<string, unknown>): tf.layers.Layer {
  if (kind === 'lstm') return tf.layers.lstm(config as unknown as tf.LSTMLayerArgs);
  if (kind === 'gru') return tf.layers.gru(config as unknown as tf.GRULayerArgs);
  return tf.layers.simpleRNN(config as unknown as tf.SimpleRNNLayerArgs);
}

function fusedLayer(kind: Kind, config: Record<string, unknown>): tf.layers.Layer {
  if (kind === 'lstm') return new FusedLSTM(config as unknown as tf.LSTMLayerArgs);
  if (kind === 'gru') return new FusedGRU(config as unknown as tf.GRULayerArgs);
  return new FusedSimpleRNN(config as unknown as tf.SimpleRNNLayerArgs);
}

function randomArray(rng: Rng, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng.next() * 2 - 1) * scale;
  return a;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** Output, and gradients of sum(output ⊙ weights) with respect to x and every layer weight. */
function outputAndGrads(layer: tf.layers.Layer, x: tf.Variable, upstream: Float32Array) {
  return tf.tidy(() => {
    const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
    let output: tf.Tensor | null = null;
    const { grads } = tf.variableGrads(() => {
      const y = layer.apply(x, { training: false }) as tf.Tensor;
      output = tf.keep(y);
      return tf.sum(tf.mul(y, tf.tensor(upstream, y.shape)));
    }, vars);
    return { output: output as unknown as tf.Tensor, grads: vars.map((v) => grads[v.name]) };
  });
}

function compareLayers(stock: tf.layers.Layer, fused: tf.layers.Layer, xShape: number[], rng: Rng): void {
  const x = tf.variable(
    tf.tensor(
      randomArray(
        rng,
        xShape.reduce((a, b) => a * b),
      ),
      xShape,
    ),
  );
  // apply() on a concrete tensor builds the layers.
  const probe = stock.apply(x) as tf.Tensor;
  tf.dispose(fused.apply(x) as tf.Tensor);
  // Non-trivial biases so that bias gradients and the bias path are exercised.
  const weights = stock.getWeights().map((w) => tf.add(w, tf.tensor(randomArray(rng, w.size, 0.3), w.shape)));
  stock.setWeights(weights);
  fused.setWeights(weights);
  const upstream = randomArray(rng, probe.size);
  const a = outputAndGrads(stock, x, upstream);
  const b = outputAndGrads(fused, x, upstream);
  expect(maxAbsDiff(a.output, b.output)).toBeLessThan(TOL);
  expect(b.grads.length).toBe(a.grads.length);
  for (let i = 0; i < a.grads.length; i++) {
    expect(b.grads[i], `gradient ${i}`).toBeDefined();
    expect(maxAbsDiff(a.grads[i], b.grads[i]), `gradient ${i}`).toBeLessThan(TOL);
  }
  tf.dispose([x, probe, a.output, b.output, ...a.grads, ...b.grads, ...weights]);
}

describe('fused recurrent layers match the stock layers', () => {
  it('run in WebAssembly for units in multiples of four, else in JavaScript', () => {
    // The package build (which turbo runs before these tests) compiles the module.
    expect(wasmRecurrentSupports(4)).toBe(true);
    expect(wasmRecurrentSupports(32)).toBe(true);
    expect(wasmRecurrentSupports(3)).toBe(false);
  });

  const kinds: Kind[] = ['simpleRnn', 'lstm', 'gru'];
  for (const kind of kinds) {
    it(`${kind}: outputs and every gradient on random shapes`, () => {
      const rng = createRng(kinds.indexOf(kind) + 11);
      // The first twelve trials have units the WebAssembly passes take (multiples of four),
      // the next twelve units only the JavaScript passes take.
      for (let trial = 0; trial < 24; trial++) {
        // Batches of 8 and more split over two threads in WebAssembly.
        const batch = 1 + rng.nextInt(12);
        // The stock layer cannot differentiate a single step (its Unpack gradient fails), so 2+.
        const steps = 2 + rng.nextInt(6);
        const inputDim = 1 + rng.nextInt(5);
        const units = trial < 12 ? 4 * (1 + rng.nextInt(2)) : [1, 2, 3, 5, 6, 7][rng.nextInt(6)];
        const config: Record<string, unknown> = {
          units,
          returnSequences: trial % 2 === 0,
          goBackwards: trial % 4 >= 2,
          useBias: trial % 5 !== 4,
        };
        if (trial % 3 === 1) config['recurrentActivation'] = 'sigmoid';
        if (trial % 6 === 5) config['activation'] = kind === 'simpleRnn' ? 'relu' : 'sigmoid';
        compareLayers(stockLayer(kind, config), fusedLayer(kind, config), [batch, steps, inputDim], rng);
      }
      // Large enough that the matrix products take the WebAssembly SIMD path when it is built.
      const config = { units: 24, returnSequences: true, goBackwards: true };
      compareLayers(stockLayer(kind, config), fusedLayer(kind, config), [20, 6, 12], rng);
    });
  }

  it('inside Bidirectional (concat and sum), LSTM and GRU', () => {
    const rng = createRng(5);
    for (const kind of ['lstm', 'gru'] as Kind[]) {
      for (const mergeMode of ['concat', 'sum'] as const) {
        for (const returnSequences of [false, true]) {
          const config = { units: 3, returnSequences };
          const stock = tf.layers.bidirectional({ layer: stockLayer(kind, config) as tf.RNN, mergeMode });
          const fused = tf.layers.bidirectional({ layer: fusedLayer(kind, config) as tf.RNN, mergeMode });
          compareLayers(stock, fused, [3, 5, 2], rng);
        }
      }
    }
  });

  it('stacked in a model', () => {
    const rng = createRng(6);
    const build = (fused: boolean): tf.LayersModel => {
      const m = tf.sequential();
      const mk = fused ? fusedLayer : stockLayer;
      m.add(mk('gru', { units: 4, returnSequences: true, inputShape: [6, 3] }));
      m.add(mk('lstm', { units: 3, returnSequences: true, goBackwards: true }));
      m.add(mk('simpleRnn', { units: 2 }));
      return m;
    };
    const stock = build(false);
    const fused = build(true);
    fused.setWeights(stock.getWeights());
    const x = tf.tensor(randomArray(rng, 4 * 6 * 3), [4, 6, 3]);
    const up = tf.tensor(randomArray(rng, 4 * 2), [4, 2]);
    const lossOf = (m: tf.LayersModel) => () => tf.sum(tf.mul(m.apply(x) as tf.Tensor, up)) as tf.Scalar;
    const gs = tf.variableGrads(lossOf(stock));
    const gf = tf.variableGrads(lossOf(fused));
    expect(Math.abs(gs.value.dataSync()[0] - gf.value.dataSync()[0])).toBeLessThan(TOL);
    const stockNames = stock.trainableWeights.map((w) => (w.read() as tf.Variable).name);
    const fusedNames = fused.trainableWeights.map((w) => (w.read() as tf.Variable).name);
    for (let i = 0; i < stockNames.length; i++) {
      expect(maxAbsDiff(gs.grads[stockNames[i]], gf.grads[fusedNames[i]])).toBeLessThan(TOL);
    }
  });

  it('weights move both ways and saved models load', async () => {
    const m = tf.sequential();
    m.add(new FusedLSTM({ units: 4, returnSequences: true, inputShape: [5, 2], seed: 3 }));
    m.add(fusedBidirectional({ layer: new FusedGRU({ units: 3 }) as unknown as tf.RNN }));
    m.add(tf.layers.dense({ units: 1 }));
    const names = m.weights.map((w) => w.name.split('/').pop());
    expect(names.slice(0, 3)).toEqual(['kernel', 'recurrent_kernel', 'bias']);
    let saved: tf.io.ModelArtifacts | undefined;
    await m.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await loadModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(loaded.layers[0]).toBeInstanceOf(FusedLSTM);
    expect((loaded.layers[0] as FusedLSTM).seed).toBe(3);
    expect(loaded.layers[1]).toBeInstanceOf(FusedBidirectional);
    const x = tf.randomNormal([2, 5, 2], 0, 1, 'float32', 1);
    expect(maxAbsDiff(m.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor)).toBeLessThan(1e-6);
  });
});

/** An independent per-step reference in tf ops, with explicit dropout masks. */
function referenceSequence(
  kind: RecurrentCell,
  x: tf.Tensor3D,
  w: tf.Tensor[],
  units: number,
  inMask: tf.Tensor2D,
  recMask: tf.Tensor2D,
  goBackwards: boolean,
): tf.Tensor {
  const [kernel, rec, bias] = w;
  const steps = x.shape[1];
  const hardSigmoid = (t: tf.Tensor) => tf.clipByValue(tf.add(tf.mul(t, 0.2), 0.5), 0, 1);
  let h: tf.Tensor = tf.zeros([x.shape[0], units]);
  let c: tf.Tensor = tf.zeros([x.shape[0], units]);
  const outs: tf.Tensor[] = [];
  for (let s = 0; s < steps; s++) {
    const t = goBackwards ? steps - 1 - s : s;
    const xt = tf.mul(tf.squeeze(tf.slice(x, [0, t, 0], [-1, 1, -1]), [1]), inMask);
    const hm = tf.mul(h, recMask);
    const px = tf.add(tf.matMul(xt, kernel), bias);
    if (kind === 'simpleRnn') {
      h = tf.tanh(tf.add(px, tf.matMul(hm, rec)));
    } else if (kind === 'lstm') {
      const zs = tf.split(tf.add(px, tf.matMul(hm, rec)), 4, 1);
      c = tf.add(tf.mul(hardSigmoid(zs[1]), c), tf.mul(hardSigmoid(zs[0]), tf.tanh(zs[2])));
      h = tf.mul(hardSigmoid(zs[3]), tf.tanh(c));
    } else {
      const [pz, pr, ph] = tf.split(px, 3, 1);
      const [rk1, rk2] = tf.split(rec, [2 * units, units], 1);
      const [rz, rr] = tf.split(tf.matMul(hm, rk1), 2, 1);
      const z = hardSigmoid(tf.add(pz, rz));
      const r = hardSigmoid(tf.add(pr, rr));
      const hh = tf.tanh(tf.add(ph, tf.matMul(tf.mul(r, hm), rk2)));
      h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
    }
    outs.push(h);
  }
  return tf.stack(outs, 1);
}

describe('fused recurrent dropout', () => {
  for (const kind of ['simpleRnn', 'lstm', 'gru'] as RecurrentCell[]) {
    it(`${kind}: masks fixed by a seed match a per-step reference (output and gradients)`, () => {
      const rng = createRng(21);
      // units 4 runs the WebAssembly passes, units 3 the JavaScript ones.
      for (const units of [3, 4]) {
        // Batch 9 splits over two threads in WebAssembly, unevenly.
        const [batch, steps, inputDim] = [9, 5, 4];
        const gates = kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1;
        const masks = createRng(99);
        const inMask = dropoutMask(masks, batch * inputDim, 0.3);
        const recMask = dropoutMask(masks, batch * units, 0.4);
        expect(inMask.some((v) => v === 0)).toBe(true);
        expect(recMask.some((v) => v === 0)).toBe(true);
        for (const goBackwards of [false, true]) {
          const x = tf.tensor3d(randomArray(rng, batch * steps * inputDim), [batch, steps, inputDim]);
          const w = [
            tf.tensor2d(randomArray(rng, inputDim * gates * units), [inputDim, gates * units]),
            tf.tensor2d(randomArray(rng, units * gates * units), [units, gates * units]),
            tf.tensor1d(randomArray(rng, gates * units, 0.3)),
          ];
          const up = tf.tensor(randomArray(rng, batch * steps * units), [batch, steps, units]);
          const problem = {
            cell: kind,
            batch,
            steps,
            inputDim,
            units,
            goBackwards,
            returnSequences: true,
            activation: ACT_TANH,
            recurrentActivation: ACT_HARD_SIGMOID,
            inputMask: inMask,
            recurrentMask: recMask,
          };
          const im = tf.tensor2d(inMask, [batch, inputDim]);
          const rm = tf.tensor2d(recMask, [batch, units]);
          const fusedLoss = (...a: tf.Tensor[]) => tf.sum(tf.mul(runFused(problem, a[0], a.slice(1)), up));
          const refLoss = (...a: tf.Tensor[]) =>
            tf.sum(tf.mul(referenceSequence(kind, a[0] as tf.Tensor3D, a.slice(1), units, im, rm, goBackwards), up));
          const gf = tf.grads(fusedLoss)([x, ...w]);
          const gr = tf.grads(refLoss)([x, ...w]);
          expect(Math.abs(fusedLoss(x, ...w).dataSync()[0] - refLoss(x, ...w).dataSync()[0])).toBeLessThan(TOL);
          for (let i = 0; i < gf.length; i++) expect(maxAbsDiff(gf[i], gr[i]), `gradient ${i}`).toBeLessThan(TOL);
        }
      }
    });
  }

  it('the layer draws masks only when training, reproducibly from its seed', () => {
    const make = () => {
      const layer = new FusedLSTM({ units: 3, dropout: 0.5, recurrentDropout: 0.5, seed: 7, name: 'drop' });
      tf.dispose(layer.apply(tf.zeros([2, 4, 3])) as tf.Tensor);
      return layer;
    };
    const a = make();
    const b = make();
    b.setWeights(a.getWeights());
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 2);
    const inference = a.apply(x, { training: false }) as tf.Tensor;
    const ta = a.apply(x, { training: true }) as tf.Tensor;
    const tb = b.apply(x, { training: true }) as tf.Tensor;
    expect(maxAbsDiff(ta, tb)).toBe(0);
    expect(maxAbsDiff(ta, inference)).toBeGreaterThan(1e-3);
    const stock = tf.layers.lstm({ units: 3 });
    tf.dispose(stock.apply(x) as tf.Tensor);
    stock.setWeights(a.getWeights());
    expect(maxAbsDiff(stock.apply(x) as tf.Tensor, inference)).toBeLessThan(TOL);
  });
});
