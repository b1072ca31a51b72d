import { initBackend } from '@seqlearn/backend';
import { useWasmThreads, wasmRecurrentSupports } from '@seqlearn/backend/ops';
import { createRng } from '@seqlearn/dataset';
import { describe, expect, it } from 'vitest';
import { tf } from '../src/tf.js';
import {
  ModelConfigError,
  InputShapeError,
  bidirectionalLstm,
  compilePredict,
  conv1dText,
  convGruTimeseries,
  embeddingFlatten,
  fusedGru,
  fusedLstm,
  fusedSimpleRNN,
  gru,
  lstm,
  planPredict,
} from '../src/index.js';

// The compiled forward pass runs on the cpu backend only, like the compiled step.
await initBackend({ backend: 'cpu' });

/** float32 sums in another order than tfjs's: agreement to rounding. */
const TOL = 1e-5;

function tokens(rows: number, maxlen: number, vocab: number, seed: number): Int32Array {
  const rng = createRng(seed);
  // Some 0s: the padding id is what real inputs start with.
  return Int32Array.from({ length: rows * maxlen }, () => (rng.next() < 0.2 ? 0 : rng.nextInt(vocab)));
}

function floats(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.next() * 2 - 1);
}

function reference(model: tf.LayersModel, x: Int32Array | Float32Array, shape: number[]): Float32Array {
  return tf.tidy(
    () => (model.predict(tf.tensor(x, shape, x instanceof Int32Array ? 'int32' : 'float32')) as tf.Tensor).dataSync() as Float32Array,
  );
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

const noDropout = { dropout: 0, recurrentDropout: 0 };
const cases: { name: string; build: () => tf.LayersModel; x: Int32Array | Float32Array; shape: number[] }[] = [
  // 200 positions over a 40-word vocabulary: the Embedding → Conv1D pair takes its table form.
  {
    name: 'conv1dText (table form)',
    build: () => conv1dText({ maxWords: 40, embeddingDim: 8, maxlen: 30, filters: 4, kernelSize: 3, poolSize: 2, seed: 3 }),
    x: tokens(11, 30, 40, 1),
    shape: [11, 30],
  },
  // A vocabulary larger than the positions: the direct form.
  {
    name: 'conv1dText (direct form)',
    build: () => conv1dText({ maxWords: 5000, embeddingDim: 8, maxlen: 30, filters: 4, kernelSize: 3, poolSize: 2, seed: 4 }),
    x: tokens(3, 30, 5000, 2),
    shape: [3, 30],
  },
  {
    name: 'lstm',
    build: () => lstm({ maxWords: 40, embeddingDim: 8, maxlen: 12, units: 8, seed: 5 }),
    x: tokens(11, 12, 40, 3),
    shape: [11, 12],
  },
  {
    name: 'bidirectionalLstm',
    build: () => bidirectionalLstm({ maxWords: 40, embeddingDim: 8, maxlen: 12, units: 4, seed: 6 }),
    x: tokens(9, 12, 40, 4),
    shape: [9, 12],
  },
  {
    name: 'gru, softmax over 3 classes',
    build: () => gru({ maxWords: 40, embeddingDim: 8, maxlen: 12, units: 8, numClasses: 3, seed: 7 }),
    x: tokens(10, 12, 40, 5),
    shape: [10, 12],
  },
  {
    name: 'embeddingFlatten',
    build: () => embeddingFlatten({ maxWords: 40, embeddingDim: 4, maxlen: 6, seed: 8 }),
    x: tokens(10, 6, 40, 6),
    shape: [10, 6],
  },
  {
    name: 'convGruTimeseries (linear output)',
    build: () => convGruTimeseries({ features: 3, timesteps: 20, filters: 4, kernelSize: 3, poolSize: 2, units: 4, seed: 9, ...noDropout }),
    x: floats(10 * 20 * 3, 7),
    shape: [10, 20, 3],
  },
];

describe('compilePredict computes what model.predict does', () => {
  it.each(cases)('$name, in batches of 4', ({ build, x, shape }) => {
    const model = build();
    const expected = reference(model, x, shape);
    const got = compilePredict(model, { batchSize: 4 }).predict(x, shape);
    expect(got.length).toBe(expected.length);
    expect(maxAbsDiff(got, expected)).toBeLessThan(TOL);
    // The outputs differ between rows, so a batch written to the wrong rows would fail.
    expect(new Set(Array.from(expected)).size).toBeGreaterThan(1);
    model.dispose();
  });

  it('follows the weights as they change', () => {
    const model = lstm({ maxWords: 40, embeddingDim: 8, maxlen: 12, units: 8, seed: 10 });
    const predict = compilePredict(model);
    const x = tokens(4, 12, 40, 8);
    const before = predict.predict(x, [4, 12]);
    model.setWeights(model.getWeights().map((w) => tf.mul(w, 1.5)));
    const expected = reference(model, x, [4, 12]);
    const after = predict.predict(x, [4, 12]);
    expect(maxAbsDiff(after, before)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(after, expected)).toBeLessThan(TOL);
    model.dispose();
  });
});

describe('an Embedding feeding a recurrent layer looks up its input products per token', () => {
  type Cell = 'lstm' | 'gru' | 'gruResetAfter' | 'simpleRnn';

  /** Embedding(V, 8) → the cell (8 units) → Dense(1, sigmoid). */
  function embeddingRecurrent(cell: Cell, vocabulary: number, maskZero: boolean, goBackwards: boolean): tf.Sequential {
    const init = {
      kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      recurrentInitializer: tf.initializers.glorotUniform({ seed: 5 }),
      biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 6 }),
    };
    const recurrent =
      cell === 'lstm'
        ? fusedLstm({ units: 8, goBackwards, ...init })
        : cell === 'simpleRnn'
          ? fusedSimpleRNN({ units: 8, goBackwards, ...init })
          : fusedGru({ units: 8, goBackwards, resetAfter: cell === 'gruResetAfter', ...init });
    return tf.sequential({
      layers: [
        tf.layers.embedding({
          inputDim: vocabulary,
          outputDim: 8,
          inputLength: 12,
          maskZero,
          embeddingsInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 }),
        }),
        recurrent,
        tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
      ],
    });
  }

  const variants = (['lstm', 'gru', 'gruResetAfter', 'simpleRnn'] as const).flatMap((cell) => [
    { cell, name: 'plain', maskZero: false, goBackwards: false, threads: false },
    { cell, name: 'goBackwards with maskZero', maskZero: true, goBackwards: true, threads: false },
    { cell, name: 'maskZero, the batch split over two threads', maskZero: true, goBackwards: false, threads: true },
  ]);

  it.each(variants)('$cell, $name: as model.predict', ({ cell, maskZero, goBackwards, threads }) => {
    expect(wasmRecurrentSupports(8)).toBe(true);
    useWasmThreads(threads);
    try {
      const model = embeddingRecurrent(cell, 40, maskZero, goBackwards);
      // 20 rows of 12 tokens, many of them padding: more tokens than table rows, so the lookup form runs.
      const x = tokens(20, 12, 40, 21);
      const expected = reference(model, x, [20, 12]);
      const got = compilePredict(model, { batchSize: 16 }).predict(x, [20, 12]);
      expect(maxAbsDiff(got, expected)).toBeLessThan(TOL);
      expect(new Set(Array.from(expected)).size).toBeGreaterThan(10);
      model.dispose();
    } finally {
      useWasmThreads(false);
    }
  });

  it('a table with more rows than the batch has tokens takes the rows as they are, with the same outputs', () => {
    const model = embeddingRecurrent('lstm', 5000, true, false);
    const x = tokens(3, 12, 5000, 22);
    expect(maxAbsDiff(compilePredict(model).predict(x, [3, 12]), reference(model, x, [3, 12]))).toBeLessThan(TOL);
    model.dispose();
  });
});

describe('models without a compiled forward pass', () => {
  it('planPredict gives the reason and compilePredict throws ModelConfigError', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 5, maskZero: true }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    expect(planPredict(model)).toMatch(/maskZero/);
    expect(() => compilePredict(model)).toThrow(ModelConfigError);
    model.dispose();
  });

  it('a recurrent layer with dropout is refused: the stages would apply it', () => {
    const model = lstm({ maxWords: 40, embeddingDim: 8, maxlen: 12, units: 8, seed: 12, dropout: 0.2, recurrentDropout: 0.2 });
    expect(planPredict(model)).toMatch(/dropout/);
    model.dispose();
  });

  it('a wrong input size is an InputShapeError', () => {
    const model = lstm({ maxWords: 40, embeddingDim: 8, maxlen: 12, units: 8, seed: 11 });
    expect(() => compilePredict(model).predict(new Int32Array(10), [2, 12])).toThrow(InputShapeError);
    model.dispose();
  });
});
