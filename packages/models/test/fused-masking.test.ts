// Masking (an Embedding with maskZero) on the fused recurrent layers, against tfjs's own layers
// behind the same Embedding: outputs and the gradients of every weight, on random token batches
// padded at the start, at the end and in full, on the WebAssembly and the JavaScript passes.

import { useWasmKernels } from '@seqlearn/backend';
import { wasmRecurrentSupports, type RecurrentCell } from '@seqlearn/backend/ops';
import { createRng, type Rng } from '@seqlearn/dataset';
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../src/tf.js';
import { FusedGRU } from '../src/layers/fused-gru.js';
import { FusedLSTM } from '../src/layers/fused-lstm.js';
import { FusedSimpleRNN } from '../src/layers/fused-simple-rnn.js';

const TOL = 1e-4;
const VOCAB = 12;

function stockLayer(kind: RecurrentCell, config: Record<string, unknown>): tf.RNN {
  if (kind === 'lstm') return tf.layers.lstm(config as unknown as tf.LSTMLayerArgs);
  if (kind === 'gru') return tf.layers.gru(config as unknown as tf.GRULayerArgs);
  return tf.layers.simpleRNN(config as unknown as tf.SimpleRNNLayerArgs);
}

function fusedLayer(kind: RecurrentCell, config: Record<string, unknown>): tf.RNN {
  if (kind === 'lstm') return new FusedLSTM(config as unknown as tf.LSTMLayerArgs);
  if (kind === 'gru') return new FusedGRU(config as unknown as tf.GRULayerArgs);
  return new FusedSimpleRNN(config as unknown as tf.SimpleRNNLayerArgs);
}

/**
 * Token ids [batch, steps] with padding (0): row 0 fully padded, then rows padded at the start
 * (Keras's pad_sequences default), at the end, and not at all, with random lengths.
 */
function paddedIds(rng: Rng, batch: number, steps: number): Int32Array {
  const ids = new Int32Array(batch * steps);
  for (let b = 0; b < batch; b++) {
    const kind = b === 0 ? 'empty' : (['pre', 'post', 'none'] as const)[b % 3];
    const length = kind === 'empty' ? 0 : kind === 'none' ? steps : 1 + rng.nextInt(steps - 1);
    for (let t = 0; t < steps; t++) {
      const inside = kind === 'post' ? t < length : t >= steps - length;
      ids[b * steps + t] = inside ? 1 + rng.nextInt(VOCAB - 1) : 0;
    }
  }
  return ids;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(b.shape).toEqual(a.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return Number.isNaN(m) ? Infinity : m;
}

/** Embedding(maskZero) → layer, built on `ids`. */
function maskedModel(layer: tf.layers.Layer, dim: number): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.embedding({ inputDim: VOCAB, outputDim: dim, maskZero: true }), layer] });
}

/** The output and the gradients of sum(output ⊙ upstream) for every trainable weight, in order. */
function outputAndGrads(model: tf.LayersModel, ids: tf.Tensor, upstream: tf.Tensor) {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let output: tf.Tensor | null = null;
  const { grads } = tf.variableGrads(() => {
    const y = model.apply(ids, { training: false }) as tf.Tensor;
    output = tf.keep(y.clone());
    return tf.sum(tf.mul(y, upstream));
  }, vars);
  return { output: output as unknown as tf.Tensor, grads: vars.map((v) => grads[v.name]) };
}

function compare(stock: tf.LayersModel, fused: tf.LayersModel, ids: tf.Tensor, rng: Rng, where: string): void {
  const probe = stock.apply(ids) as tf.Tensor;
  tf.dispose(fused.apply(ids) as tf.Tensor);
  // Non-trivial biases, so that the bias paths and their gradients count.
  const weights = stock.getWeights().map((w) => tf.add(w, tf.randomUniform(w.shape, -0.3, 0.3, 'float32', rng.nextInt(1e6))));
  stock.setWeights(weights);
  fused.setWeights(weights);
  const upstream = tf.randomUniform(probe.shape, -1, 1, 'float32', rng.nextInt(1e6));
  const a = outputAndGrads(stock, ids, upstream);
  const b = outputAndGrads(fused, ids, upstream);
  expect(maxAbsDiff(a.output, b.output), `${where}: output`).toBeLessThan(TOL);
  expect(b.grads.length).toBe(a.grads.length);
  for (let i = 0; i < a.grads.length; i++) {
    expect(b.grads[i], `${where}: gradient ${i}`).toBeDefined();
    expect(maxAbsDiff(a.grads[i], b.grads[i]), `${where}: gradient of ${stock.trainableWeights[i].originalName}`).toBeLessThan(TOL);
  }
  tf.dispose([probe, upstream, a.output, b.output, ...a.grads, ...b.grads, ...weights]);
}

const paths = [
  { name: 'WebAssembly', wasm: true },
  { name: 'JavaScript', wasm: false },
] as const;

afterAll(() => {
  useWasmKernels(true);
});

describe('masked fused recurrent layers match the stock layers (Embedding maskZero)', () => {
  it('the WebAssembly passes are built', () => {
    expect(wasmRecurrentSupports(4)).toBe(true);
  });

  for (const path of paths) {
    for (const kind of ['simpleRnn', 'lstm', 'gru'] as RecurrentCell[]) {
      it(`${kind}, ${path.name} path: outputs and gradients on padded batches`, () => {
        useWasmKernels(path.wasm);
        const rng = createRng(31 + ['simpleRnn', 'lstm', 'gru'].indexOf(kind) + (path.wasm ? 0 : 100));
        for (let trial = 0; trial < 8; trial++) {
          // Batches of 8 and more split over two threads in WebAssembly.
          const batch = 4 + rng.nextInt(8);
          const steps = 2 + rng.nextInt(6);
          const dim = 1 + rng.nextInt(4);
          const config: Record<string, unknown> = {
            units: 4 * (1 + rng.nextInt(2)),
            returnSequences: trial % 2 === 0,
            goBackwards: trial % 4 >= 2,
            useBias: trial % 5 !== 4,
          };
          if (trial % 3 === 1) config['recurrentActivation'] = 'sigmoid';
          if (trial === 5) config['activation'] = kind === 'simpleRnn' ? 'relu' : 'sigmoid';
          const ids = tf.tensor2d(paddedIds(rng, batch, steps), [batch, steps], 'int32');
          compare(
            maskedModel(stockLayer(kind, config), dim),
            maskedModel(fusedLayer(kind, config), dim),
            ids,
            rng,
            `trial ${trial} ${JSON.stringify(config)}`,
          );
          ids.dispose();
        }
        useWasmKernels(true);
      });
    }

    it(`inside Bidirectional (concat, sum; last outputs and sequences), ${path.name} path`, () => {
      useWasmKernels(path.wasm);
      const rng = createRng(path.wasm ? 41 : 42);
      for (const kind of ['simpleRnn', 'lstm', 'gru'] as RecurrentCell[]) {
        for (const mergeMode of ['concat', 'sum'] as const) {
          for (const returnSequences of [false, true]) {
            const config = { units: 4, returnSequences };
            const build = (layer: tf.RNN) => maskedModel(tf.layers.bidirectional({ layer, mergeMode }), 3);
            const ids = tf.tensor2d(paddedIds(rng, 9, 6), [9, 6], 'int32');
            compare(build(stockLayer(kind, config)), build(fusedLayer(kind, config)), ids, rng, `${kind} ${mergeMode} ${returnSequences}`);
            ids.dispose();
          }
        }
      }
      useWasmKernels(true);
    });
  }

  it('a float mask passed to apply() carries the state over masked steps, as the stock layer does', () => {
    const x = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 5);
    const mask = tf.tensor2d([1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1], [3, 4], 'bool');
    const stock = stockLayer('lstm', { units: 4, returnSequences: true });
    const fused = fusedLayer('lstm', { units: 4, returnSequences: true });
    tf.dispose([stock.apply(x) as tf.Tensor, fused.apply(x) as tf.Tensor]);
    fused.setWeights(stock.getWeights());
    // A float mask passed straight to apply(), as a functional model would.
    const floatMask = tf.cast(mask, 'float32');
    const a = stock.apply(x, { mask: floatMask }) as tf.Tensor;
    const b = fused.apply(x, { mask: floatMask }) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBeLessThan(TOL);
    // Steps 2 and 3 of row 0 are masked: its output there repeats step 1's.
    const out = b.arraySync() as number[][][];
    expect(out[0][2]).toEqual(out[0][1]);
    expect(out[0][3]).toEqual(out[0][1]);
    // Row 1's first step is masked: its output there is the zero initial state.
    expect(out[1][0]).toEqual([0, 0, 0, 0]);
    tf.dispose([x, mask, floatMask, a, b]);
  });
});

describe('the zoo’s maskZero option', () => {
  it('sets maskZero on the Embedding of the recurrent text models, and a padded row then predicts as an empty one', async () => {
    const { lstm, bidirectionalGru } = await import('../src/index.js');
    for (const build of [lstm, bidirectionalGru]) {
      const model = build({ numWords: 30, embeddingDim: 4, units: 4, maxlen: null, maskZero: true, seed: 1 });
      expect(model.layers[0].getConfig()['maskZero']).toBe(true);
      // Padding at the start changes nothing for a masked model: [0,0,0,0,5,7] predicts as [5,7].
      const padded = model.predict(tf.tensor2d([[0, 0, 0, 0, 5, 7]], [1, 6], 'int32')) as tf.Tensor;
      const short = model.predict(tf.tensor2d([[5, 7]], [1, 2], 'int32')) as tf.Tensor;
      expect(maxAbsDiff(padded, short)).toBeLessThan(1e-6);
      expect(build({ numWords: 30, units: 4 }).layers[0].getConfig()['maskZero']).toBe(false);
      model.dispose();
    }
  });
});
