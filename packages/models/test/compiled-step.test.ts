import { initBackend } from '@seqlearn/backend';
import { createRng, type Rng } from '@seqlearn/dataset';
import { describe, expect, it, vi } from 'vitest';
import { tf } from '../src/tf.js';
import {
  loadModel,
  ModelConfigError,
  InputShapeError,
  LabelRangeError,
  ModelsError,
  compileTrainStep,
  conv1dText,
  conv1dTimeseries,
  denseTimeseries,
  embeddingFlatten,
  bidirectionalGruTimeseries,
  bidirectionalLstm,
  convGruTimeseries,
  gru,
  gruTimeseries,
  lstm,
  simpleRnn,
  stackedGruTimeseries,
  stackedSimpleRnn,
  bidirectionalGru,
  pretrainedEmbeddingFlatten,
  train,
  trainStepSupport,
  type CompileTrainStepOptions,
} from '../src/index.js';
import { tinyTokens } from './helpers.js';

// The compiled step exists for the cpu backend only (its variables live in JavaScript memory),
// and train() picks it only there: force cpu so a machine with tfjs-node runs the same tests.
await initBackend({ backend: 'cpu' });

const WEIGHT_TOL = 1e-4;
/** Each trainable weight of the reference moves further than this, so a step that skips one fails. */
const MOVE_MIN = WEIGHT_TOL;
const BATCH = 8;
const STEPS = 3;

interface Batch {
  x: Int32Array | Float32Array;
  xShape: number[];
  /** One label or target per sample, as trainOnBatch takes them in a `[batch, 1]` tensor. */
  y: Float32Array;
}

type Labels = { kind: 'binary' } | { kind: 'multiclass'; numClasses: number } | { kind: 'regression' };

function labels(rng: Rng, n: number, spec: Labels): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (spec.kind === 'binary') y[i] = rng.nextInt(2);
    else if (spec.kind === 'multiclass') y[i] = rng.nextInt(spec.numClasses);
    else y[i] = rng.next() * 2 - 1;
  }
  return y;
}

/** Token ids in [1, vocab): 0 is the padding id, which a real batch has but which proves nothing extra. */
function tokenBatches(seed: number, maxlen: number, vocab: number, spec: Labels): Batch[] {
  const rng = createRng(seed);
  return Array.from({ length: STEPS }, () => {
    const x = new Int32Array(BATCH * maxlen);
    for (let i = 0; i < x.length; i++) x[i] = 1 + rng.nextInt(vocab - 1);
    return { x, xShape: [BATCH, maxlen], y: labels(rng, BATCH, spec) };
  });
}

/**
 * Token ids padded with 0 as Keras's pad_sequences leaves them: row 0 all padding, then rows
 * padded at the start, at the end, and not at all, with random lengths.
 */
function paddedTokenBatches(seed: number, maxlen: number, vocab: number, spec: Labels): Batch[] {
  const rng = createRng(seed);
  return Array.from({ length: STEPS }, () => {
    const x = new Int32Array(BATCH * maxlen);
    for (let b = 0; b < BATCH; b++) {
      const kind = b === 0 ? 'empty' : (['pre', 'post', 'none'] as const)[b % 3];
      const length = kind === 'empty' ? 0 : kind === 'none' ? maxlen : 1 + rng.nextInt(maxlen - 1);
      for (let t = 0; t < maxlen; t++) {
        const inside = kind === 'post' ? t < length : t >= maxlen - length;
        x[b * maxlen + t] = inside ? 1 + rng.nextInt(vocab - 1) : 0;
      }
    }
    return { x, xShape: [BATCH, maxlen], y: labels(rng, BATCH, spec) };
  });
}

function seriesBatches(seed: number, timesteps: number, features: number): Batch[] {
  const rng = createRng(seed);
  return Array.from({ length: STEPS }, () => {
    const x = new Float32Array(BATCH * timesteps * features).map(() => rng.next() - 0.5);
    return { x, xShape: [BATCH, timesteps, features], y: labels(rng, BATCH, { kind: 'regression' }) };
  });
}

async function referenceStep(model: tf.LayersModel, b: Batch): Promise<number[]> {
  const x = tf.tensor(b.x, b.xShape, b.x instanceof Int32Array ? 'int32' : 'float32');
  const y = tf.tensor(b.y, [b.y.length, 1], 'float32');
  try {
    const out = await model.trainOnBatch(x, y);
    return Array.isArray(out) ? out : [out];
  } finally {
    tf.dispose([x, y]);
  }
}

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => Float32Array.from(w.dataSync()));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(b.length).toBe(a.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return Number.isNaN(m) || a.some(Number.isNaN) || b.some(Number.isNaN) ? Infinity : m;
}

function expectSameWeights(ref: tf.LayersModel, ours: tf.LayersModel, where: string): void {
  const a = weightsOf(ref);
  const b = weightsOf(ours);
  expect(b.length).toBe(a.length);
  for (let i = 0; i < a.length; i++) {
    expect(maxAbsDiff(a[i], b[i]), `${where}: weight ${ref.weights[i].originalName}`).toBeLessThanOrEqual(WEIGHT_TOL);
  }
}

function expectSameLogs(ref: number[], ours: number[], names: readonly string[], where: string): void {
  expect(ours.length, where).toBe(ref.length);
  for (let i = 0; i < ref.length; i++) {
    if (names[i] === 'acc') {
      expect(ours[i], `${where}: acc`).toBe(ref[i]);
    } else {
      const tol = Math.max(1e-6, 1e-5 * Math.abs(ref[i]));
      expect(Math.abs(ours[i] - ref[i]), `${where}: ${names[i]} ${ours[i]} vs ${ref[i]}`).toBeLessThanOrEqual(tol);
    }
  }
}

interface Case {
  name: string;
  /** Builds the same model (same weights, fresh optimizer) on every call. */
  build: () => tf.LayersModel;
  batches: Batch[];
  opts?: CompileTrainStepOptions;
}

const smallText = { maxWords: 50, maxlen: 6, embeddingDim: 4, seed: 11 };
// lr 3e-3 rather than the book's 1e-4: the second convolution's small gradients move its bias
// by about lr/10 a step, and the comparison proves nothing for a weight that moves less than
// its tolerance.
const smallConv = { maxWords: 40, embeddingDim: 8, maxlen: 30, filters: 4, kernelSize: 3, poolSize: 2, seed: 12, learningRate: 3e-3 };
const smallSeries = { features: 3, timesteps: 20, filters: 4, kernelSize: 3, poolSize: 2, seed: 13 };
const smallRecurrent = { maxWords: 40, embeddingDim: 8, maxlen: 12, units: 8, seed: 19 };
const noDropout = { dropout: 0, recurrentDropout: 0 };
// RMSprop's first steps depend on the gradient's sign more than on its size; plain SGD moves each
// weight by lr × gradient, so these cases check the gradients' magnitudes as well.
const sgd = { optimizer: 'sgd' as const, learningRate: 0.5 };
// At 0.5 every relu of the convnet dies in the first step and the later steps only move the head.
const seriesSgd = { optimizer: 'sgd' as const, learningRate: 0.05 };

function glove(rows: number, dim: number): Float32Array {
  const rng = createRng(99);
  return new Float32Array(rows * dim).map(() => rng.next() - 0.5);
}

const cases: Case[] = [
  {
    name: 'embeddingFlatten, binary, rmsprop',
    build: () => embeddingFlatten(smallText),
    batches: tokenBatches(1, 6, 50, { kind: 'binary' }),
  },
  {
    name: 'embeddingFlatten, 3 classes (softmax, sparse CE)',
    build: () => embeddingFlatten({ ...smallText, numClasses: 3 }),
    batches: tokenBatches(2, 6, 50, { kind: 'multiclass', numClasses: 3 }),
  },
  {
    name: 'embeddingFlatten, adam',
    build: () => embeddingFlatten({ ...smallText, optimizer: 'adam' }),
    batches: tokenBatches(3, 6, 50, { kind: 'binary' }),
  },
  {
    name: 'embeddingFlatten, sgd',
    build: () => embeddingFlatten({ ...smallText, ...sgd }),
    batches: tokenBatches(4, 6, 50, { kind: 'binary' }),
  },
  {
    name: 'pretrainedEmbeddingFlatten, frozen matrix',
    build: () => pretrainedEmbeddingFlatten({ ...smallText, hiddenUnits: 8, embeddingMatrix: glove(50, 4) }),
    batches: tokenBatches(5, 6, 50, { kind: 'binary' }),
  },
  {
    name: 'pretrainedEmbeddingFlatten, trainable matrix',
    build: () => pretrainedEmbeddingFlatten({ ...smallText, hiddenUnits: 8, embeddingMatrix: glove(50, 4), trainableEmbedding: true }),
    batches: tokenBatches(6, 6, 50, { kind: 'binary' }),
  },
  ...(['table', 'direct', 'auto'] as const).map((path) => ({
    name: `conv1dText, embeddingConv '${path}'`,
    build: () => conv1dText(smallConv),
    batches: tokenBatches(7, 30, 40, { kind: 'binary' }),
    opts: { embeddingConv: path },
  })),
  ...(['table', 'direct'] as const).map((path) => ({
    name: `conv1dText, sgd, embeddingConv '${path}'`,
    build: () => conv1dText({ ...smallConv, ...sgd }),
    batches: tokenBatches(8, 30, 40, { kind: 'binary' }),
    opts: { embeddingConv: path },
  })),
  {
    // Adam moves Embedding rows the batch does not use (their momentum is not zero), which a
    // gradient kept only for the rows in the batch would miss.
    name: "conv1dText, adam, embeddingConv 'table'",
    build: () => conv1dText({ ...smallConv, optimizer: 'adam' }),
    batches: tokenBatches(9, 30, 40, { kind: 'binary' }),
    opts: { embeddingConv: 'table' },
  },
  ...(['table', 'direct'] as const).map((path) => ({
    // A frozen Embedding feeding the Conv1D: the kernel still learns, the table must not move.
    name: `conv1dText, frozen embedding, embeddingConv '${path}'`,
    build: () => {
      const model = conv1dText({ ...smallConv, compile: false });
      model.layers[0].trainable = false;
      model.compile({ optimizer: tf.train.rmsprop(3e-3, 0.9, 0, 1e-7), loss: 'binaryCrossentropy', metrics: ['acc'] });
      return model;
    },
    batches: tokenBatches(15, 30, 40, { kind: 'binary' }),
    opts: { embeddingConv: path },
  })),
  {
    name: 'conv1dText, 3 classes',
    build: () => conv1dText({ ...smallConv, numClasses: 3 }),
    batches: tokenBatches(10, 30, 40, { kind: 'multiclass', numClasses: 3 }),
  },
  {
    name: 'denseTimeseries, MAE',
    build: () => denseTimeseries({ features: 3, timesteps: 5, hiddenUnits: 8, seed: 14 }),
    batches: seriesBatches(11, 5, 3),
  },
  {
    name: 'denseTimeseries, MSE',
    build: () => {
      const model = denseTimeseries({ features: 3, timesteps: 5, hiddenUnits: 8, seed: 14, compile: false });
      model.compile({ optimizer: tf.train.rmsprop(0.001, 0.9, 0, 1e-7), loss: 'meanSquaredError' });
      return model;
    },
    batches: seriesBatches(12, 5, 3),
  },
  // Fused recurrent layers: units 8 run in WebAssembly (batch 8 splits over two threads),
  // units 3 in JavaScript.
  { name: 'simpleRnn', build: () => simpleRnn(smallRecurrent), batches: tokenBatches(20, 12, 40, { kind: 'binary' }) },
  { name: 'lstm', build: () => lstm(smallRecurrent), batches: tokenBatches(21, 12, 40, { kind: 'binary' }) },
  {
    name: 'gru, 3 units (JavaScript path)',
    build: () => gru({ ...smallRecurrent, units: 3 }),
    batches: tokenBatches(22, 12, 40, { kind: 'binary' }),
  },
  {
    name: 'gruTimeseries, no dropout',
    build: () => gruTimeseries({ features: 3, timesteps: 10, units: 8, seed: 23, ...noDropout }),
    batches: seriesBatches(23, 10, 3),
  },
  {
    name: 'stackedGruTimeseries (returnSequences into a relu GRU), no dropout',
    build: () => stackedGruTimeseries({ features: 3, timesteps: 10, units: 8, secondUnits: 4, seed: 24, ...noDropout }),
    batches: seriesBatches(24, 10, 3),
  },
  {
    name: 'convGruTimeseries, no dropout',
    build: () => convGruTimeseries({ ...smallSeries, units: 4, seed: 25, ...noDropout }),
    batches: seriesBatches(25, 20, 3),
  },
  {
    name: 'stackedGruTimeseries, resetAfter, no dropout',
    build: () => stackedGruTimeseries({ features: 3, timesteps: 10, units: 8, secondUnits: 4, seed: 48, resetAfter: true, ...noDropout }),
    batches: seriesBatches(48, 10, 3),
  },
  { name: 'bidirectionalLstm', build: () => bidirectionalLstm(smallRecurrent), batches: tokenBatches(28, 12, 40, { kind: 'binary' }) },
  {
    name: 'bidirectionalGruTimeseries, no dropout',
    build: () => bidirectionalGruTimeseries({ features: 3, timesteps: 10, units: 4, seed: 29, ...noDropout }),
    batches: seriesBatches(29, 10, 3),
  },
  // Masking (Embedding maskZero) on padded batches, and the GRU with resetAfter.
  {
    name: 'simpleRnn, maskZero',
    build: () => simpleRnn({ ...smallRecurrent, maskZero: true }),
    batches: paddedTokenBatches(40, 12, 40, { kind: 'binary' }),
  },
  {
    name: 'lstm, maskZero, 3 units (JavaScript path)',
    build: () => lstm({ ...smallRecurrent, units: 3, maskZero: true }),
    batches: paddedTokenBatches(41, 12, 40, { kind: 'binary' }),
  },
  {
    name: 'gru, maskZero, sgd',
    build: () => gru({ ...smallRecurrent, maskZero: true, ...sgd }),
    batches: paddedTokenBatches(42, 12, 40, { kind: 'binary' }),
  },
  {
    name: 'stackedSimpleRnn, maskZero (the mask passes through returnSequences)',
    build: () => stackedSimpleRnn({ ...smallRecurrent, depth: 2, maskZero: true }),
    batches: paddedTokenBatches(43, 12, 40, { kind: 'binary' }),
  },
  {
    name: 'bidirectionalLstm, maskZero',
    build: () => bidirectionalLstm({ ...smallRecurrent, maskZero: true }),
    batches: paddedTokenBatches(44, 12, 40, { kind: 'binary' }),
  },
  {
    name: 'gru, resetAfter',
    build: () => gru({ ...smallRecurrent, resetAfter: true }),
    batches: tokenBatches(45, 12, 40, { kind: 'binary' }),
  },
  {
    name: 'gru, resetAfter, 3 units (JavaScript path)',
    build: () => gru({ ...smallRecurrent, units: 3, resetAfter: true }),
    batches: tokenBatches(46, 12, 40, { kind: 'binary' }),
  },
  {
    name: 'bidirectionalGru, resetAfter, maskZero, 3 classes',
    build: () => bidirectionalGru({ ...smallRecurrent, resetAfter: true, maskZero: true, numClasses: 3 }),
    batches: paddedTokenBatches(47, 12, 40, { kind: 'multiclass', numClasses: 3 }),
  },
  { name: 'conv1dTimeseries, MAE', build: () => conv1dTimeseries(smallSeries), batches: seriesBatches(13, 20, 3) },
  { name: 'conv1dTimeseries, sgd', build: () => conv1dTimeseries({ ...smallSeries, ...seriesSgd }), batches: seriesBatches(14, 20, 3) },
];

describe('the compiled step trains as trainOnBatch does', () => {
  it.each(cases)('$name', async ({ build, batches, opts }) => {
    const ref = build();
    const ours = build();
    const initial = weightsOf(ref);
    expectSameWeights(ref, ours, 'before training');
    const step = compileTrainStep(ours, opts);
    expect(step.metricsNames).toEqual(ref.metricsNames);
    for (let s = 0; s < batches.length; s++) {
      const b = batches[s];
      const expected = await referenceStep(ref, b);
      const got = step.run(b.x, b.xShape, b.y);
      expectSameLogs(expected, got, ref.metricsNames, `step ${s + 1}`);
      expectSameWeights(ref, ours, `step ${s + 1}`);
    }
    // Guards the comparison: had the reference barely moved, a step that did nothing would pass.
    const moved = weightsOf(ref).map((w, i) => maxAbsDiff(w, initial[i]));
    const trainable = new Set(ref.trainableWeights.map((w) => w.id));
    moved.forEach((d, i) => {
      const w = ref.weights[i];
      if (!trainable.has(w.id)) expect(d, `${w.originalName} is frozen`).toBe(0);
      else expect(d, `reference moved ${w.originalName}`).toBeGreaterThan(MOVE_MIN);
    });
    ref.dispose();
    ours.dispose();
  });

  it('a step leaves no tensors behind', () => {
    const model = conv1dText(smallConv);
    const step = compileTrainStep(model);
    const [first, ...rest] = tokenBatches(15, 30, 40, { kind: 'binary' });
    step.run(first.x, first.xShape, first.y); // creates the optimizer's slots
    const before = tf.memory().numTensors;
    for (const b of rest) step.run(b.x, b.xShape, b.y);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('optimizer state is the model optimizer’s own', () => {
  it.each(['rmsprop', 'adam'] as const)(
    '%s: compiled steps and trainOnBatch steps interleave as three trainOnBatch steps',
    async (optimizer) => {
      const build = () => embeddingFlatten({ ...smallText, optimizer });
      const batches = tokenBatches(16, 6, 50, { kind: 'binary' });
      const ref = build();
      for (const b of batches) await referenceStep(ref, b);

      const compiledFirst = build();
      const step = compileTrainStep(compiledFirst);
      step.run(batches[0].x, batches[0].xShape, batches[0].y);
      step.run(batches[1].x, batches[1].xShape, batches[1].y);
      await referenceStep(compiledFirst, batches[2]);
      expectSameWeights(ref, compiledFirst, '2 compiled + 1 trainOnBatch');

      // The other way round: the step picks up slots and the iteration count tfjs created.
      const layersFirst = build();
      await referenceStep(layersFirst, batches[0]);
      const later = compileTrainStep(layersFirst);
      later.run(batches[1].x, batches[1].xShape, batches[1].y);
      later.run(batches[2].x, batches[2].xShape, batches[2].y);
      expectSameWeights(ref, layersFirst, '1 trainOnBatch + 2 compiled');
      for (const m of [ref, compiledFirst, layersFirst]) m.dispose();
    },
  );
});

describe('trainStepSupport', () => {
  it('accepts the zoo models built from supported layers', () => {
    const models = [
      embeddingFlatten(smallText),
      pretrainedEmbeddingFlatten({ ...smallText, embeddingMatrix: glove(50, 4) }),
      conv1dText(smallConv),
      denseTimeseries({ features: 3, timesteps: 5 }),
      conv1dTimeseries(smallSeries),
    ];
    for (const m of models) expect(trainStepSupport(m), m.name).toEqual({ supported: true });
  });

  function dropoutModel(): tf.LayersModel {
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 50, outputDim: 4, inputLength: 6 }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    model.compile({ optimizer: 'rmsprop', loss: 'binaryCrossentropy', metrics: ['acc'] });
    return model;
  }

  it.each([
    {
      name: 'Bidirectional around a stock LSTM',
      build: () => bidirectionalLstm({ maxWords: 30, embeddingDim: 4, units: 4, maxlen: 8, recurrentImpl: 'stock' }),
      layer: /bidirectional/i,
    },
    {
      name: "tfjs's own LSTM",
      build: () => lstm({ maxWords: 30, embeddingDim: 4, units: 4, maxlen: 8, recurrentImpl: 'stock' }),
      layer: /lstm/i,
    },
    { name: 'Dropout', build: dropoutModel, layer: /dropout/i },
  ])('refuses a model with $name, naming the layer; compileTrainStep throws ModelConfigError', ({ build, layer }) => {
    const model = build();
    const support = trainStepSupport(model);
    expect(support.supported).toBe(false);
    expect(support.supported ? '' : support.reason).toMatch(layer);
    expect(() => compileTrainStep(model)).toThrow(ModelConfigError);
    model.dispose();
  });

  it('refuses layer settings outside the supported ones (a mask into Flatten or Conv1D, same padding)', () => {
    const compiled = (layers: tf.layers.Layer[]) => {
      const model = tf.sequential({ layers });
      model.compile({ optimizer: 'rmsprop', loss: 'binaryCrossentropy', metrics: ['acc'] });
      return model;
    };
    const masked = compiled([
      tf.layers.embedding({ inputDim: 50, outputDim: 4, inputLength: 6, maskZero: true }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    const maskedConv = compiled([
      tf.layers.embedding({ inputDim: 50, outputDim: 4, inputLength: 6, maskZero: true }),
      tf.layers.conv1d({ filters: 2, kernelSize: 3, activation: 'relu' }),
      tf.layers.globalMaxPooling1d(),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    expect(trainStepSupport(masked)).toMatchObject({ reason: expect.stringMatching(/flatten.*maskZero/i) });
    expect(trainStepSupport(maskedConv)).toMatchObject({ reason: expect.stringMatching(/maskZero.*Conv1D/) });
    const samePadding = compiled([
      tf.layers.embedding({ inputDim: 50, outputDim: 4, inputLength: 6 }),
      tf.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.globalMaxPooling1d(),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    for (const model of [masked, maskedConv, samePadding]) {
      expect(trainStepSupport(model).supported).toBe(false);
      expect(() => compileTrainStep(model)).toThrow(ModelConfigError);
      model.dispose();
    }
  });
});

describe('train() uses the compiled step', () => {
  it('by default on the cpu backend, with the history and weights of trainOnBatch training', async () => {
    const build = () => embeddingFlatten({ maxWords: 50, maxlen: 6, embeddingDim: 4, seed: 21 });
    const data = tinyTokens(40, 6, 50, 2);
    const compiled = build();
    const layers = build();
    const compiledCalls = vi.spyOn(compiled, 'trainOnBatch');
    const layersCalls = vi.spyOn(layers, 'trainOnBatch');
    const a = await train(compiled, data, { epochs: 2, batchSize: 8, shuffle: true });
    const b = await train(layers, data, { epochs: 2, batchSize: 8, shuffle: true, compiledStep: false });
    // Without this the comparison would also pass if both ran trainOnBatch.
    expect(compiledCalls).not.toHaveBeenCalled();
    expect(layersCalls).toHaveBeenCalledTimes(2 * 5);
    expect(Object.keys(a.history).sort()).toEqual(['acc', 'loss']);
    for (const key of ['loss', 'acc']) {
      expect(a.history[key]).toHaveLength(2);
      a.history[key].forEach((v, i) => expect(Math.abs(v - b.history[key][i]), `${key}[${i}]`).toBeLessThanOrEqual(1e-4));
    }
    expectSameWeights(layers, compiled, 'after train()');
    compiled.dispose();
    layers.dispose();
  });

  it('compiledStep: true on a model it cannot compile is a ModelConfigError', async () => {
    const model = lstm({ maxWords: 30, embeddingDim: 4, units: 4, maxlen: 8, recurrentImpl: 'stock' });
    await expect(train(model, tinyTokens(16, 8, 30, 2), { epochs: 1, batchSize: 8, compiledStep: true })).rejects.toThrow(ModelConfigError);
    model.dispose();
  });
});

describe('bad token ids', () => {
  it.each([
    { name: 'embeddingFlatten', build: () => embeddingFlatten(smallText), maxlen: 6, vocab: 50, opts: {} },
    { name: "conv1dText 'table'", build: () => conv1dText(smallConv), maxlen: 30, vocab: 40, opts: { embeddingConv: 'table' as const } },
    { name: "conv1dText 'direct'", build: () => conv1dText(smallConv), maxlen: 30, vocab: 40, opts: { embeddingConv: 'direct' as const } },
  ])('$name: an id outside [0, inputDim) throws and leaves the weights alone', ({ build, maxlen, vocab, opts }) => {
    const model = build();
    const step = compileTrainStep(model, opts);
    const [b] = tokenBatches(17, maxlen, vocab, { kind: 'binary' });
    const before = weightsOf(model);
    for (const bad of [vocab, -1]) {
      const x = Int32Array.from(b.x);
      x[x.length - 2] = bad;
      expect(() => step.run(x, b.xShape, b.y), `id ${bad}`).toThrow(ModelsError);
      weightsOf(model).forEach((w, i) => expect(maxAbsDiff(w, before[i]), `id ${bad}: weight ${i}`).toBe(0));
    }
    model.dispose();
  });
});

describe('shapes and labels that do not fit the model', () => {
  it('a wrong sequence length, a wrong x size, wrong label counts and out-of-range classes throw typed errors before any update', () => {
    const binary = embeddingFlatten(smallText);
    const multiclass = embeddingFlatten({ ...smallText, numClasses: 3 });
    const [b] = tokenBatches(18, 6, 50, { kind: 'binary' });
    const [m] = tokenBatches(19, 6, 50, { kind: 'multiclass', numClasses: 3 });
    const cases: Array<[tf.LayersModel, () => void, new (...args: never[]) => Error, string]> = [
      // 8 sequences of 7 tokens: Flatten gives 28 values a row where the Dense takes 24.
      [
        binary,
        () =>
          compileTrainStep(binary).run(
            Int32Array.from({ length: 56 }, (_, i) => i % 50),
            [8, 7],
            b.y,
          ),
        InputShapeError,
        'maxlen',
      ],
      [binary, () => compileTrainStep(binary).run(b.x.subarray(1), b.xShape, b.y), InputShapeError, 'x size'],
      [binary, () => compileTrainStep(binary).run(b.x, b.xShape, b.y.subarray(1)), InputShapeError, 'label count'],
      [
        multiclass,
        () =>
          compileTrainStep(multiclass).run(
            m.x,
            m.xShape,
            Float32Array.from(m.y, (v, i) => (i === 3 ? 3 : v)),
          ),
        LabelRangeError,
        'class 3 of 3',
      ],
    ];
    for (const [model, run, error, what] of cases) {
      const before = weightsOf(model);
      expect(run, what).toThrow(error);
      weightsOf(model).forEach((w, i) => expect(maxAbsDiff(w, before[i]), `${what}: weight ${i}`).toBe(0));
    }
    binary.dispose();
    multiclass.dispose();
  });
});

describe('recurrent dropout', () => {
  // A fused layer draws its masks from a stream seeded by its seed and its name, so the twin
  // is rebuilt from the reference's JSON: same names, same streams, the same masks in turn.
  async function twin(model: tf.LayersModel): Promise<tf.LayersModel> {
    const copy = await loadModel(tf.io.fromMemory({ modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] }));
    copy.setWeights(model.getWeights());
    return copy;
  }
  const compile = (model: tf.LayersModel, head: 'binary' | 'regression') =>
    model.compile(
      head === 'binary'
        ? { optimizer: tf.train.rmsprop(1e-3, 0.9, 0, 1e-7), loss: 'binaryCrossentropy', metrics: ['acc'] }
        : { optimizer: tf.train.rmsprop(1e-3, 0.9, 0, 1e-7), loss: 'meanAbsoluteError' },
    );

  it.each([
    {
      name: 'lstm, dropout 0.2 / 0.2',
      build: () => lstm({ ...smallRecurrent, dropout: 0.2, recurrentDropout: 0.2, compile: false }),
      head: 'binary' as const,
      batches: tokenBatches(26, 12, 40, { kind: 'binary' }),
    },
    {
      name: 'bidirectionalLstm, dropout 0.2 / 0.2',
      build: () => bidirectionalLstm({ ...smallRecurrent, units: 4, dropout: 0.2, recurrentDropout: 0.2, compile: false }),
      head: 'binary' as const,
      batches: tokenBatches(30, 12, 40, { kind: 'binary' }),
    },
    {
      name: 'gru, resetAfter, maskZero, dropout 0.2 / 0.2',
      build: () => gru({ ...smallRecurrent, resetAfter: true, maskZero: true, dropout: 0.2, recurrentDropout: 0.2, compile: false }),
      head: 'binary' as const,
      batches: paddedTokenBatches(31, 12, 40, { kind: 'binary' }),
    },
    {
      name: "convGruTimeseries, the book's dropout 0.1 / 0.5",
      build: () => convGruTimeseries({ ...smallSeries, units: 4, seed: 27, compile: false }),
      head: 'regression' as const,
      batches: seriesBatches(27, 20, 3),
    },
  ])('$name: the compiled step draws the masks trainOnBatch draws', async ({ build, head, batches }) => {
    const ref = build();
    const ours = await twin(ref);
    compile(ref, head);
    compile(ours, head);
    const step = compileTrainStep(ours);
    for (let s = 0; s < batches.length; s++) {
      const b = batches[s];
      expectSameLogs(await referenceStep(ref, b), step.run(b.x, b.xShape, b.y), ref.metricsNames, `step ${s + 1}`);
      expectSameWeights(ref, ours, `step ${s + 1}`);
    }
    ref.dispose();
    ours.dispose();
  });
});
