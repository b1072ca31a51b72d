import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  bidirectionalGru,
  bidirectionalGruTimeseries,
  bidirectionalLstm,
  conv1dText,
  conv1dTimeseries,
  convGruTimeseries,
  denseTimeseries,
  embeddingFlatten,
  FusedBidirectional,
  FusedLSTM,
  FusedSimpleRNN,
  fusedCellOf,
  gru,
  gruDropoutTimeseries,
  gruTimeseries,
  lstm,
  ModelConfigError,
  predict,
  pretrainedEmbeddingFlatten,
  reutersBidirectionalLstm,
  reutersLstm,
  reutersSimpleRnn,
  simpleRnn,
  stackedGruTimeseries,
  stackedSimpleRnn,
  train,
} from '../src/index.js';
import { tinyTokens, tinyWindows } from './helpers.js';

const VOCAB = 40;
const small = { maxWords: VOCAB, embeddingDim: 4, units: 3, seed: 7 };

const textCases: [string, () => tf.LayersModel, number, number][] = [
  ['embeddingFlatten', () => embeddingFlatten({ ...small, maxlen: 12 }), 12, 2],
  [
    'pretrainedEmbeddingFlatten',
    () => pretrainedEmbeddingFlatten({ ...small, maxlen: 12, hiddenUnits: 3, embeddingMatrix: new Float32Array(VOCAB * 4).fill(0.1) }),
    12,
    2,
  ],
  ['simpleRnn', () => simpleRnn({ ...small, maxlen: 12 }), 12, 2],
  ['stackedSimpleRnn', () => stackedSimpleRnn({ ...small, maxlen: 12 }), 12, 2],
  ['lstm', () => lstm({ ...small, maxlen: 12 }), 12, 2],
  ['gru', () => gru({ ...small, maxlen: 12 }), 12, 2],
  ['bidirectionalLstm', () => bidirectionalLstm({ ...small, maxlen: 12 }), 12, 2],
  ['bidirectionalGru', () => bidirectionalGru({ ...small, maxlen: 12 }), 12, 2],
  ['conv1dText', () => conv1dText({ ...small, maxlen: 48, filters: 3 }), 48, 2],
  ['reutersSimpleRnn', () => reutersSimpleRnn({ ...small }), 10, 46],
  ['reutersLstm', () => reutersLstm({ ...small }), 10, 46],
  ['reutersBidirectionalLstm', () => reutersBidirectionalLstm({ ...small }), 10, 46],
];

describe('text builders: one training step on tiny data', () => {
  it.each(textCases)('%s', async (_name, build, maxlen, numClasses) => {
    const model = build();
    const data = tinyTokens(8, maxlen, VOCAB, numClasses);
    const history = await train(model, data, { epochs: 1, batchSize: 8 });
    expect(history.epoch).toEqual([0]);
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
    expect(history.history.acc).toHaveLength(1);
    const out = await predict(model, data);
    const units = numClasses === 2 ? 1 : numClasses;
    expect(out.shape).toEqual([8, units]);
    expect(model.outputs[0].shape).toEqual([null, units]);
    // sigmoid outputs are probabilities; softmax rows sum to 1
    if (units === 1) for (const v of out.values) expect(v >= 0 && v <= 1).toBe(true);
    else expect(out.values.slice(0, units).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    model.dispose();
  });
});

const seriesCases: [string, () => tf.LayersModel, number][] = [
  ['denseTimeseries', () => denseTimeseries({ features: 3, timesteps: 20, hiddenUnits: 4, seed: 3 }), 20],
  ['gruTimeseries', () => gruTimeseries({ features: 3, units: 4, seed: 3 }), 20],
  ['gruDropoutTimeseries', () => gruDropoutTimeseries({ features: 3, units: 4, seed: 3 }), 20],
  ['stackedGruTimeseries', () => stackedGruTimeseries({ features: 3, units: 4, secondUnits: 5, seed: 3 }), 20],
  ['bidirectionalGruTimeseries', () => bidirectionalGruTimeseries({ features: 3, units: 4, seed: 3 }), 20],
  ['conv1dTimeseries', () => conv1dTimeseries({ features: 3, filters: 4, seed: 3 }), 64],
  ['convGruTimeseries', () => convGruTimeseries({ features: 3, filters: 4, units: 4, seed: 3 }), 30],
];

describe('timeseries builders: one training step on tiny windows', () => {
  it.each(seriesCases)('%s', async (_name, build, timesteps) => {
    const model = build();
    const windows = tinyWindows(1, 6, timesteps, 3);
    const history = await train(model, windows, { epochs: 1 });
    expect(history.params.steps).toBe(1);
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
    const out = await predict(model, windows);
    expect(out.shape).toEqual([6, 1]);
    expect(model.outputs[0].shape).toEqual([null, 1]);
    model.dispose();
  });
});

describe("recurrentImpl: 'fused' (the default) or 'stock' (tfjs's layers)", () => {
  it.each([
    // The fused layers report the stock class names (what tfjs saves).
    ['simpleRnn', () => simpleRnn({ ...small, maxlen: 12 }), 'SimpleRNN', FusedSimpleRNN],
    ['lstm', () => lstm({ ...small, maxlen: 12, recurrentImpl: 'fused' }), 'LSTM', FusedLSTM],
    ['bidirectionalGru', () => bidirectionalGru({ ...small, maxlen: 12 }), 'Bidirectional', FusedBidirectional],
    ['stock lstm', () => lstm({ ...small, maxlen: 12, recurrentImpl: 'stock' }), 'LSTM', null],
    ['stock stackedSimpleRnn', () => stackedSimpleRnn({ ...small, maxlen: 12, recurrentImpl: 'stock' }), 'SimpleRNN', null],
    ['stock bidirectionalGru', () => bidirectionalGru({ ...small, maxlen: 12, recurrentImpl: 'stock' }), 'Bidirectional', null],
    ['stock reutersLstm', () => reutersLstm({ ...small, recurrentImpl: 'stock' }), 'LSTM', null],
  ] as const)('%s', async (_name, build, className, fusedClass) => {
    const model = build();
    expect(model.layers[1].getClassName()).toBe(className);
    if (fusedClass === null) {
      expect(model.layers[1]).not.toBeInstanceOf(FusedBidirectional);
      expect(fusedCellOf(model.layers[1])).toBeUndefined();
    } else {
      expect(model.layers[1]).toBeInstanceOf(fusedClass);
    }
    const data = tinyTokens(8, 12, VOCAB, model.outputs[0].shape[1] === 1 ? 2 : 46);
    const history = await train(model, data, { epochs: 1, batchSize: 8 });
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
    expect((await predict(model, data)).shape).toEqual([8, model.outputs[0].shape[1]]);
    model.dispose();
  });

  it('fused and stock builds with one seed hold the same weights and give the same outputs', async () => {
    const fused = gruTimeseries({ features: 3, units: 4, seed: 9, recurrentImpl: 'fused' });
    const stock = gruTimeseries({ features: 3, units: 4, seed: 9, recurrentImpl: 'stock' });
    expect(fused.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(stock.getWeights().map((w) => Array.from(w.dataSync())));
    const windows = tinyWindows(1, 5, 7, 3);
    const a = (await predict(fused, windows)).values;
    const b = (await predict(stock, windows)).values;
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
  });
});

describe('builder defaults follow the book', () => {
  it('embeddingFlatten is Embedding(10000, 8, input_length=20) → Flatten → Dense(1, sigmoid)', () => {
    const model = embeddingFlatten();
    expect(model.inputs[0].shape).toEqual([null, 20]);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Embedding', 'Flatten', 'Dense']);
    expect(model.layers[0].getConfig()).toMatchObject({ inputDim: 10000, outputDim: 8 });
    // 10000*8 embedding + 160 + 1 dense: the book's model.summary() shows 80,161 parameters
    expect(model.countParams()).toBe(80161);
    model.dispose();
  });

  it('pretrainedEmbeddingFlatten freezes the GloVe embedding and loads the matrix', () => {
    const matrix = new Float32Array(50 * 6).map((_, i) => i / 100);
    const model = pretrainedEmbeddingFlatten({ maxWords: 50, embeddingDim: 6, maxlen: 5, embeddingMatrix: matrix });
    expect(model.layers[0].trainable).toBe(false);
    expect(Array.from(model.layers[0].getWeights()[0].dataSync())).toEqual(Array.from(matrix));
    expect(pretrainedEmbeddingFlatten({ maxWords: 50, embeddingDim: 6, maxlen: 5 }).layers[0].trainable).toBe(true);
  });

  it('parameter counts follow Keras: Embedding(100, 32) + RNN(32) + Dense(1)', () => {
    // Keras: SimpleRNN has units*(input+units+1) weights, LSTM four times that.
    const rnn = simpleRnn({ maxWords: 100 });
    expect(rnn.countParams()).toBe(100 * 32 + (32 * 32 + 32 * 32 + 32) + 33);
    const l = lstm({ maxWords: 100 });
    expect(l.countParams()).toBe(100 * 32 + 4 * (32 * 32 + 32 * 32 + 32) + 33);
    rnn.dispose();
    l.dispose();
  });

  it('the same seed builds the same weights', () => {
    const a = gru({ maxWords: 30, embeddingDim: 3, units: 2, seed: 11 });
    const b = gru({ maxWords: 30, embeddingDim: 3, units: 2, seed: 11 });
    const wa = a.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = b.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wa).toEqual(wb);
  });
});

describe('conv1dText checks its sequence length when it is built', () => {
  it('refuses a maxlen its convolutions cannot cover, naming the minimum', () => {
    expect(() => conv1dText({ maxlen: 40, numWords: 100 })).toThrow(ModelConfigError);
    expect(() => conv1dText({ maxlen: 40, numWords: 100 })).toThrow(/maxlen 40 is too short.*at least 41 tokens/);
    expect(() => conv1dText({ maxlen: 20, numWords: 100, kernelSize: 3, poolSize: 2 })).not.toThrow();
    const model = conv1dText({ maxlen: 41, numWords: 100 });
    expect(model.outputs[0].shape).toEqual([null, 1]);
    model.dispose();
  });
});
