import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { bookGenerator, TimeseriesGenerator, timeseriesDatasetFromArray } from '../src/index.js';
import { batchToTensors, toTfDataset } from '../src/tf.js';

const ROWS = 400;
const F = 2;
const data = () => ({ values: Float32Array.from({ length: ROWS * F }, (_, i) => Math.cos(i / 10)), shape: [ROWS, F] as [number, number] });

describe('@seqlearn/timeseries/tf', () => {
  it('a bookGenerator (reused buffers) becomes a tf.data dataset of distinct { xs, ys } tensors', async () => {
    await tf.setBackend('cpu');
    const gen = bookGenerator(data(), { lookback: 20, step: 2, delay: 5, batchSize: 16, shuffle: true, reuseBuffers: true });
    const reference = bookGenerator(data(), { lookback: 20, step: 2, delay: 5, batchSize: 16, shuffle: true });
    const items = await toTfDataset(gen).take(3).toArray();
    for (const { xs, ys } of items) {
      const [x, y] = reference.next().value;
      expect(xs.shape).toEqual([16, 10, F]);
      expect(ys.shape).toEqual([16, 1]);
      expect(Array.from(xs.dataSync())).toEqual(Array.from(x.values));
      expect(Array.from(ys.dataSync())).toEqual(Array.from(y.values));
      xs.dispose();
      ys.dispose();
    }
  });

  it('a TimeseriesGenerator or WindowDataset restarts each pass; fitDataset trains on it', async () => {
    await tf.setBackend('cpu');
    const targets = Float32Array.from({ length: ROWS }, (_, i) => Math.sin(i / 7));
    const tg = new TimeseriesGenerator(data(), targets, { length: 12, batchSize: 64 });
    const ds = toTfDataset(tg);
    expect((await ds.toArray()).length).toBe(tg.length);
    expect((await ds.toArray()).length).toBe(tg.length);

    const windows = timeseriesDatasetFromArray(data(), targets, { sequenceLength: 12, batchSize: 64 });
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [12, F] }), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: 'adam', loss: 'meanAbsoluteError' });
    const history = await model.fitDataset(toTfDataset(windows), { epochs: 2, verbose: 0 });
    expect(history.history.loss).toHaveLength(2);
    expect(Number.isFinite(history.history.loss[1] as number)).toBe(true);
  });

  it('batchToTensors keeps multi-dimensional targets as they are', () => {
    const t = batchToTensors([
      { values: new Float32Array(6), shape: [1, 3, 2] },
      { values: new Float32Array(2), shape: [1, 2] },
    ]);
    expect(t.ys.shape).toEqual([1, 2]);
    tf.dispose([t.xs, t.ys]);
  });
});
