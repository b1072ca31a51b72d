import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@seqlearn/backend';
import { paddedSequencesTable, raggedSequencesTable, vectorsTable } from '@seqlearn/dataset';
import { bookGenerator } from '@seqlearn/timeseries';
import {
  EmptyDatasetError,
  InputShapeError,
  LabelRangeError,
  ModelConfigError,
  earlyStopping,
  embeddingFlatten,
  historyWriter,
  modelCheckpoint,
  evaluate,
  gruTimeseries,
  lstm,
  predict,
  progress,
  reutersSimpleRnn,
  train,
  type ProgressEvent,
} from '../src/index.js';
import { tinyTokens, tinyWindows } from './helpers.js';

await initBackend();

describe('memory', () => {
  it('tf.memory().numTensors stays flat over epochs (table + validation + early stopping)', async () => {
    const model = lstm({ maxWords: 30, embeddingDim: 4, units: 3, maxlen: 8, seed: 1 });
    const data = tinyTokens(40, 8, 30, 2);
    const counts: number[] = [];
    const stop = earlyStopping({ monitor: 'val_loss', patience: 100, restoreBestWeights: true });
    const probe = { onEpochEnd: () => void counts.push(tf.memory().numTensors) };
    await train(model, data, { epochs: 2, batchSize: 8, validationSplit: 0.25 }); // warm up: optimizer slots exist after the first step
    const before = tf.memory().numTensors;
    await train(model, data, { epochs: 5, batchSize: 8, validationSplit: 0.25, callbacks: [stop, probe] });
    // restoreBestWeights keeps one copy of the weights between epochs: a constant, not growth
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    await evaluate(model, data);
    await predict(model, data);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('generator training leaves no tensors behind', async () => {
    const model = gruTimeseries({ features: 2, units: 3, seed: 1, recurrentImpl: 'stock' });
    const windows = tinyWindows(3, 4, 6, 2);
    await train(model, windows, { epochs: 1 });
    const before = tf.memory().numTensors;
    await train(model, windows, { epochs: 4, validation: windows });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('training loop', () => {
  it('validationSplit holds out the last rows, before shuffling (as Keras)', async () => {
    const model = embeddingFlatten({ maxWords: 20, embeddingDim: 2, maxlen: 4, seed: 3 });
    // first 30 rows label 0, last 10 rows label 1: the held-out tail is all 1s
    const tokens = new Int32Array(40 * 4).fill(5);
    const label = new Int32Array(40).map((_, i) => (i >= 30 ? 1 : 0));
    const data = paddedSequencesTable({ tokens, maxlen: 4, label });
    const history = await train(model, data, { epochs: 1, batchSize: 10, validationSplit: 0.25 });
    expect(history.params.samples).toBe(30);
    // identical inputs give one prediction p; train-set acc is 1 iff p < 0.5, so val acc on all-1 labels must be its complement
    const p = (await predict(model, data)).values[0];
    expect(history.history.val_acc[0]).toBe(p > 0.5 ? 1 : 0);
  });

  it('same seed, same history; different seed, different shuffles', async () => {
    const run = async (seed: number) => {
      const model = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6, seed: 5 });
      const h = await train(model, tinyTokens(50, 6, 30, 2), { epochs: 2, batchSize: 7, seed });
      model.dispose();
      return h.history.loss;
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  it('progress events carry epoch, batch, loss, metrics and an ETA', async () => {
    const model = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6, seed: 5 });
    const events: ProgressEvent[] = [];
    await train(model, tinyTokens(20, 6, 30, 2), {
      epochs: 2,
      batchSize: 5,
      validationSplit: 0.2,
      callbacks: [progress((e) => events.push(e))],
    });
    const batches = events.filter((e) => e.phase === 'batch');
    expect(batches).toHaveLength(2 * 4);
    expect(batches[0]).toMatchObject({ epoch: 0, epochs: 2, batch: 1, batches: 4 });
    expect(Number.isFinite(batches[0].loss)).toBe(true);
    expect(batches[0].metrics).toHaveProperty('acc');
    expect(batches.at(-1)!.etaSeconds).toBe(0);
    const epochs = events.filter((e) => e.phase === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1]);
    expect(Object.keys(epochs[0].metrics).sort()).toEqual(['acc', 'val_acc', 'val_loss']);
  });

  it('earlyStopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6, seed: 5 });
    const data = tinyTokens(20, 6, 30, 2);
    let snapshot: number[][] = [];
    const losses: number[] = [];
    const capture = {
      onEpochEnd: (epoch: number, logs: Record<string, number>, state: { model: tf.LayersModel }) => {
        losses.push(logs.loss);
        if (epoch === 0) snapshot = state.model.getWeights().map((w) => Array.from(w.dataSync()));
      },
    };
    // training loss falls every epoch, so in 'max' mode it never improves on epoch 0
    const stopMax = earlyStopping({ monitor: 'loss', mode: 'max', patience: 2, restoreBestWeights: true });
    const h = await train(model, data, { epochs: 10, batchSize: 20, shuffle: false, callbacks: [capture, stopMax] });
    // patience 2: stop at epoch 2, then put back epoch 0's weights
    expect(losses[1]).toBeLessThan(losses[0]);
    expect(losses[2]).toBeLessThan(losses[1]);
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(h.stoppedEpoch).toBe(2);
    expect(stopMax.bestEpoch).toBe(0);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(snapshot);
  });

  it('modelCheckpoint saves each improving epoch as a loadable model; historyWriter keeps the JSON current', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqlearn-ckpt-'));
    try {
      const model = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6, seed: 5 });
      const data = tinyTokens(20, 6, 30, 2);
      const losses: number[] = [];
      const h = await train(model, data, {
        epochs: 3,
        batchSize: 20,
        shuffle: false,
        callbacks: [
          { onEpochEnd: (_e, logs) => void losses.push(logs.loss) },
          modelCheckpoint({ path: join(dir, 'ckpt-{epoch}'), monitor: 'loss', saveBestOnly: true }),
          historyWriter(join(dir, 'history.json')),
        ],
      });
      // full-batch gradient descent lowers the training loss every epoch: every epoch is a new best
      expect(losses[1]).toBeLessThan(losses[0]);
      expect(losses[2]).toBeLessThan(losses[1]);
      expect(
        readdirSync(dir)
          .filter((f) => f.startsWith('ckpt-'))
          .sort(),
      ).toEqual(['ckpt-01', 'ckpt-02', 'ckpt-03']);
      const last = await tf.loadLayersModel(`file://${join(dir, 'ckpt-03', 'model.json')}`);
      expect(last.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(model.getWeights().map((w) => Array.from(w.dataSync())));
      expect(existsSync(join(dir, 'history.json'))).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(h)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('earlyStopping on a metric that is not logged is a clear error', async () => {
    const model = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6 });
    await expect(train(model, tinyTokens(10, 6, 30, 2), { callbacks: [earlyStopping()] })).rejects.toThrow(
      /monitor 'val_loss' is not in the epoch logs/,
    );
  });

  it('trains on the endless bookGenerator with stepsPerEpoch', async () => {
    const rows = 200;
    const values = new Float32Array(rows * 2).map((_, i) => Math.sin(i / 7));
    const gen = bookGenerator({ values, shape: [rows, 2] }, { lookback: 12, delay: 3, step: 2, batchSize: 8, shuffle: true, seed: 1 });
    const model = gruTimeseries({ features: 2, units: 3, seed: 1 });
    const h = await train(model, gen, { epochs: 2, stepsPerEpoch: 3 });
    expect(h.params.steps).toBe(3);
    expect(h.history.loss).toHaveLength(2);
    await expect(train(model, gen, { epochs: 1 })).rejects.toThrow(ModelConfigError);
  });
});

describe('bad input is refused before any tensor work', () => {
  it('wrong sequence length names expected and actual shape', async () => {
    const model = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6 });
    const before = tf.memory().numTensors;
    const err = await train(model, tinyTokens(10, 9, 30, 2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputShapeError);
    expect((err as Error).message).toContain('expects input of shape [null, 6] (int32), got [null, 9] (int32)');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('float vectors into an Embedding model: dtype error', async () => {
    const model = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6 });
    const data = vectorsTable({ x: new Float32Array(12), dim: 6, label: [0, 1] }, { description: 'test' });
    await expect(train(model, data)).rejects.toThrow(/expects int32 input of shape \[null, 6\].*got float32 of shape \[null, 6\]/);
  });

  it('ragged sequences must be padded first', async () => {
    const model = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6 });
    const data = raggedSequencesTable({ tokens: [[1, 2], [3]], label: [0, 1] });
    await expect(train(model, data)).rejects.toThrow(/ragged.*pad the sequences first/);
  });

  it('token ids beyond the Embedding are refused', async () => {
    const model = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6 });
    await expect(train(model, tinyTokens(10, 6, 31 + 20, 2))).rejects.toThrow(/outside the Embedding's range \[0, 30\)/);
  });

  it('labels out of range for the head', async () => {
    const binary = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6 });
    await expect(train(binary, tinyTokens(10, 6, 30, 3))).rejects.toThrow(LabelRangeError);
    await expect(train(binary, tinyTokens(10, 6, 30, 3))).rejects.toThrow(/a Dense\(1, sigmoid\) head expects 0 or 1/);
    const reuters = reutersSimpleRnn({ maxWords: 30, embeddingDim: 3, units: 2 });
    const data = tinyTokens(10, 6, 30, 47, 9);
    await expect(train(reuters, data)).rejects.toThrow(/Dense\(46, softmax\) head expects an integer class in \[0, 45\]/);
  });

  it('window generator with the wrong number of features', async () => {
    const model = gruTimeseries({ features: 3, units: 2 });
    await expect(train(model, tinyWindows(1, 2, 5, 4))).rejects.toThrow(
      /expects input of shape \[null, null, 3\] \(float32\), got \[null, 5, 4\]/,
    );
  });

  it('empty dataset', async () => {
    const model = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6 });
    const empty = paddedSequencesTable({ tokens: new Int32Array(0), maxlen: 6, label: new Int32Array(0) });
    await expect(train(model, empty)).rejects.toThrow(EmptyDatasetError);
    await expect(train(gruTimeseries({ features: 1, units: 2 }), [], { epochs: 1 })).rejects.toThrow(EmptyDatasetError);
  });

  it('an uncompiled model', async () => {
    const model = embeddingFlatten({ maxWords: 30, embeddingDim: 3, maxlen: 6, compile: false });
    await expect(train(model, tinyTokens(4, 6, 30, 2))).rejects.toThrow(/not compiled/);
  });
});
