import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { initBackend } from '@seqlearn/backend';
import { createRng, paddedSequencesTable } from '@seqlearn/dataset';
import { describe, expect, it } from 'vitest';
import { tf } from '../src/tf.js';
import { ModelConfigError, balancedClassWeight, compileTrainStep, embeddingFlatten, setLearningRate, train } from '../src/index.js';
import { tinyTokens } from './helpers.js';

// The compiled step runs on the cpu backend only; train() picks it there.
await initBackend({ backend: 'cpu' });

const PYTHON = '/usr/bin/python3';
const rng0 = createRng(3);
const skewedLabels = Array.from({ length: 200 }, () => (rng0.next() < 0.7 ? 0 : rng0.next() < 0.6 ? 3 : rng0.nextInt(3)));
const SKLEARN = [
  'import json, sys, numpy as np',
  'from sklearn.utils.class_weight import compute_class_weight',
  'y = np.array(json.loads(sys.stdin.read()))',
  'c = np.unique(y)',
  "print(json.dumps({int(k): float(v) for k, v in zip(c, compute_class_weight('balanced', classes=c, y=y))}))",
].join('\n');
/** scikit-learn's weights for skewedLabels, or undefined where Python or scikit-learn is missing. */
const sklearnWeights = (() => {
  if (!existsSync(PYTHON)) return undefined;
  try {
    return JSON.parse(
      execFileSync(PYTHON, ['-c', SKLEARN], { input: JSON.stringify(skewedLabels), stdio: ['pipe', 'pipe', 'ignore'] }).toString(),
    ) as Record<string, number>;
  } catch {
    return undefined;
  }
})();

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => Float32Array.from(w.dataSync()));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function expectClose(ref: tf.LayersModel, ours: tf.LayersModel, tol: number, where: string): void {
  const a = weightsOf(ref);
  const b = weightsOf(ours);
  a.forEach((w, i) => expect(maxAbsDiff(w, b[i]), `${where}: weight ${i}`).toBeLessThanOrEqual(tol));
}

interface Batch {
  x: Int32Array;
  y: Float32Array;
}

function batches(seed: number, n: number, rows: number, maxlen: number, vocab: number, classes: number, skew: number[]): Batch[] {
  const rng = createRng(seed);
  const pick = () => {
    let u = rng.next() * skew.reduce((a, b) => a + b, 0);
    for (let c = 0; c < classes; c++) if ((u -= skew[c]) < 0) return c;
    return classes - 1;
  };
  return Array.from({ length: n }, () => ({
    x: Int32Array.from({ length: rows * maxlen }, () => 1 + rng.nextInt(vocab - 1)),
    y: Float32Array.from({ length: rows }, pick),
  }));
}

describe("classWeight 'balanced'", () => {
  it.skipIf(sklearnWeights === undefined)(
    "matches scikit-learn's compute_class_weight('balanced') (skipped without /usr/bin/python3 and scikit-learn)",
    () => {
      const expected = sklearnWeights!;
      const got = balancedClassWeight(skewedLabels);
      expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
      for (const k of Object.keys(expected)) expect(got[Number(k)]).toBeCloseTo(expected[k], 12);
    },
  );
});

describe('weighted training steps', () => {
  const small = { maxWords: 40, maxlen: 6, embeddingDim: 4, seed: 31 };

  it.each([
    { name: 'binary (sigmoid)', classes: 2, classWeight: { 0: 0.4, 1: 2.5 } as Record<number, number> },
    { name: '3 classes (softmax)', classes: 3, classWeight: { 0: 0.5, 1: 3, 2: 1.25 } as Record<number, number> },
  ])("$name: the compiled step with class weights trains as tfjs's fit({ classWeight }) does", async ({ classes, classWeight }) => {
    const build = () => embeddingFlatten({ ...small, numClasses: classes });
    const ref = build();
    const ours = build();
    const step = compileTrainStep(ours);
    for (const b of batches(5, 3, 8, 6, 40, classes, [6, 2, 1].slice(0, classes))) {
      const x = tf.tensor(b.x, [8, 6], 'int32');
      const y = tf.tensor(b.y, [8, 1], 'float32');
      const h = await ref.fit(x, y, { batchSize: 8, epochs: 1, shuffle: false, classWeight, verbose: 0 });
      tf.dispose([x, y]);
      const w = Float32Array.from(b.y, (label) => classWeight[label]);
      const [loss, acc] = step.run(b.x, [8, 6], b.y, w);
      expect(Math.abs(loss - (h.history.loss[0] as number))).toBeLessThanOrEqual(1e-5);
      expect(acc).toBe(h.history.acc[0]);
      expectClose(ref, ours, 1e-5, 'after a step');
    }
    ref.dispose();
    ours.dispose();
  });

  it('per-row weights: a step on rows weighted 0, 1, 2, 3 equals plain SGD on the rows repeated that often', async () => {
    // mean(w · loss) over N rows = (M/N) · the mean loss over the M = Σw repeated rows, so SGD at
    // lr·M/N on the repeated rows takes the same step: an independent reference for any weights.
    const lr = 0.3;
    const build = () => embeddingFlatten({ ...small, numClasses: 3, optimizer: 'sgd', learningRate: lr });
    const ref = build();
    const ours = build();
    const initial = weightsOf(ref);
    const step = compileTrainStep(ours);
    const rng = createRng(8);
    for (const b of batches(9, 3, 8, 6, 40, 3, [1, 1, 1])) {
      const w = Float32Array.from({ length: 8 }, () => rng.nextInt(4));
      w[0] = 2; // some row repeats, so M differs from N
      const rows: number[] = [];
      w.forEach((k, r) => {
        for (let i = 0; i < k; i++) rows.push(r);
      });
      const m = rows.length;
      const x = tf.tensor(Int32Array.from(rows.flatMap((r) => Array.from(b.x.subarray(r * 6, r * 6 + 6)))), [m, 6], 'int32');
      const y = tf.tensor(
        Float32Array.from(rows, (r) => b.y[r]),
        [m, 1],
        'float32',
      );
      setLearningRate(ref.optimizer, (lr * m) / 8);
      const [refLoss] = (await ref.trainOnBatch(x, y)) as number[];
      tf.dispose([x, y]);
      const [loss] = step.run(b.x, [8, 6], b.y, w);
      expect(Math.abs(loss - (refLoss * m) / 8)).toBeLessThanOrEqual(1e-5);
      expectClose(ref, ours, 1e-5, 'compiled step');
    }
    weightsOf(ref).forEach((w, i) => expect(maxAbsDiff(w, initial[i]), `reference moved weight ${i}`).toBeGreaterThan(1e-3));
    for (const m of [ref, ours]) m.dispose();
  });
});

describe('train() with classWeight and sampleWeight', () => {
  const build = () => embeddingFlatten({ maxWords: 30, maxlen: 5, embeddingDim: 3, numClasses: 3, seed: 41 });
  const data = tinyTokens(60, 5, 30, 3, 4);
  const labels = Array.from(data.getChild('label')!.toArray() as Int32Array).map((l, i) => (i % 4 === 0 ? l : 0));
  const skewed = tinyTokensWithLabels(data, labels);

  it("'balanced' trains as the same class weights given row by row; the trainOnBatch path agrees with the compiled step", async () => {
    const trainRows = Math.floor(60 * 0.75);
    const weightsByClass = balancedClassWeight(labels.slice(0, trainRows));
    const perRow = labels.map((l) => weightsByClass[l] ?? 1);
    const opts = { epochs: 2, batchSize: 8, validationSplit: 0.25, seed: 2 };
    const a = build();
    const b = build();
    const c = build();
    const u = build();
    const ha = await train(a, skewed, { ...opts, classWeight: 'balanced' });
    const hb = await train(b, skewed, { ...opts, sampleWeight: perRow });
    const hc = await train(c, skewed, { ...opts, classWeight: 'balanced', compiledStep: false });
    const hu = await train(u, skewed, opts);
    expect(ha.history.loss).toEqual(hb.history.loss);
    expectClose(a, b, 0, "'balanced' vs the same weights as sampleWeight");
    ha.history.loss.forEach((v, i) => expect(Math.abs(v - hc.history.loss[i])).toBeLessThanOrEqual(1e-5));
    expectClose(a, c, 1e-5, 'compiled step vs weighted trainOnBatch');
    // Weighting changes training, and validation stays unweighted (Keras): different losses, same keys.
    expect(Math.abs(ha.history.loss[0] - hu.history.loss[0])).toBeGreaterThan(1e-4);
    expect(Object.keys(ha.history).sort()).toEqual(Object.keys(hu.history).sort());
    for (const m of [a, b, c, u]) m.dispose();
  });

  it('rejects weights that do not fit: wrong length, negative, a class without a weight, a regression head', async () => {
    const model = build();
    await expect(train(model, skewed, { sampleWeight: [1, 2] })).rejects.toThrow(ModelConfigError);
    await expect(train(model, skewed, { sampleWeight: labels.map(() => -1) })).rejects.toThrow(/sampleWeight\[0\]/);
    await expect(train(model, skewed, { classWeight: { 0: 1, 1: 1 } })).rejects.toThrow(/class 2/);
    model.dispose();
  });
});

function tinyTokensWithLabels(table: ReturnType<typeof tinyTokens>, labels: number[]): ReturnType<typeof tinyTokens> {
  const tokens = Int32Array.from(table.getChild('tokens')!.data[0].children[0].values as Int32Array);
  return paddedFrom(tokens, 5, Int32Array.from(labels));
}

function paddedFrom(tokens: Int32Array, maxlen: number, label: Int32Array) {
  return paddedSequencesTable({ tokens, maxlen, label });
}
