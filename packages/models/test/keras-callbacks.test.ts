import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@seqlearn/backend';
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../src/tf.js';
import {
  csvLogger,
  embeddingFlatten,
  learningRateScheduler,
  reduceLROnPlateau,
  simpleRnn,
  summary,
  train,
  type TrainCallback,
} from '../src/index.js';
import { pythonFloat } from '../src/csv-logger.js';
import { tinyTokens } from './helpers.js';

await initBackend();

const PYTHON = '/usr/bin/python3';
const tmp = mkdtempSync(join(tmpdir(), 'seqlearn-callbacks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function python(script: string, input: unknown): unknown {
  return JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(input) }).toString());
}

// Keras's ReduceLROnPlateau (keras/callbacks/reduce_lr_on_plateau.py), its logic line for line
// with the optimizer's rate as a float32 variable, run on a given sequence of monitored values.
const KERAS_REDUCE_LR = `
import json, sys
import numpy as np
a = json.loads(sys.stdin.read())
factor, patience, cooldown, min_lr, min_delta, mode, monitor = a['factor'], a['patience'], a['cooldown'], a['min_lr'], a['min_delta'], a['mode'], a['monitor']
if mode == 'min' or (mode == 'auto' and 'acc' not in monitor):
    op = lambda x, y: np.less(x, y - min_delta); best = np.inf
else:
    op = lambda x, y: np.greater(x, y + min_delta); best = -np.inf
lr = np.float32(a['lr']); cooldown_counter = 0; wait = 0; logged = []
for current in a['values']:
    logged.append(float(lr))
    if cooldown_counter > 0:
        cooldown_counter -= 1; wait = 0
    if op(current, best):
        best = current; wait = 0
    elif not cooldown_counter > 0:
        wait += 1
        if wait >= patience:
            old_lr = float(lr)
            if old_lr > np.float32(min_lr):
                new_lr = old_lr * factor
                new_lr = max(new_lr, min_lr)
                lr = np.float32(new_lr)
                cooldown_counter = cooldown; wait = 0
print(json.dumps(logged))
`;

/** Overwrites the monitored value each epoch, so the schedule sees a sequence a reference can replay. */
function feed(monitor: string, values: number[]): TrainCallback {
  return {
    onEpochEnd(epoch, logs) {
      logs[monitor] = values[epoch];
    },
  };
}

describe('reduceLROnPlateau', () => {
  const values = [1.0, 0.9, 0.90005, 0.95, 0.92, 0.91, 0.85, 0.86, 0.87, 0.88, 0.84, 0.845, 0.9, 0.9];
  it.skipIf(!existsSync(PYTHON)).each([
    { name: 'defaults but patience 2 (rmsprop)', optimizer: 'rmsprop' as const, opts: { patience: 2 }, monitor: 'val_loss' },
    {
      name: 'factor 0.5, cooldown 2, minLr 2e-4 (sgd)',
      optimizer: 'sgd' as const,
      opts: { patience: 1, factor: 0.5, cooldown: 2, minLr: 2e-4 },
      monitor: 'val_loss',
    },
    {
      name: "mode 'auto' on an accuracy maximizes",
      optimizer: 'adam' as const,
      opts: { patience: 1, monitor: 'val_acc', minDelta: 0.01 },
      monitor: 'val_acc',
    },
  ])("logs the rate Keras's ReduceLROnPlateau would, epoch by epoch: $name", async ({ optimizer, opts, monitor }) => {
    const lr = 1e-3;
    const model = embeddingFlatten({ maxWords: 20, maxlen: 4, embeddingDim: 2, seed: 1, optimizer, learningRate: lr });
    const history = await train(model, tinyTokens(16, 4, 20, 2), {
      epochs: values.length,
      batchSize: 8,
      validationSplit: 0.25,
      callbacks: [feed(monitor, values), reduceLROnPlateau(opts)],
    });
    const o = { factor: 0.1, cooldown: 0, minLr: 0, minDelta: 1e-4, mode: 'auto', ...opts };
    const expected = python(KERAS_REDUCE_LR, {
      factor: o.factor,
      patience: o.patience,
      cooldown: o.cooldown,
      min_lr: o.minLr,
      min_delta: o.minDelta,
      mode: o.mode,
      monitor,
      lr,
      values,
    }) as number[];
    expect(new Set(expected).size, 'the reference reduced the rate').toBeGreaterThan(1);
    expect(history.history.learning_rate).toHaveLength(values.length);
    history.history.learning_rate.forEach((v, i) =>
      expect(Math.abs(v - expected[i]) / expected[i], `epoch ${i}: ${v} vs ${expected[i]}`).toBeLessThan(1e-6),
    );
    model.dispose();
  });
});

describe('learningRateScheduler', () => {
  it('sets each epoch’s rate from schedule(epoch, lr) before the epoch, and the optimizer steps with it', async () => {
    // SGD moves a weight by exactly lr × gradient: with the rate at 0, an epoch changes nothing.
    const model = embeddingFlatten({ maxWords: 20, maxlen: 4, embeddingDim: 2, seed: 1, optimizer: 'sgd', learningRate: 0.1 });
    const seen: number[][] = [];
    const probe: TrainCallback = { onEpochEnd: (_e, _l, state) => void seen.push(Array.from(state.model.getWeights()[0].dataSync())) };
    const history = await train(model, tinyTokens(16, 4, 20, 2), {
      epochs: 4,
      batchSize: 8,
      callbacks: [learningRateScheduler((epoch, lr) => (epoch === 2 ? 0 : lr / 2)), probe],
    });
    expect(history.history.learning_rate).toEqual([0.05, 0.025, 0, 0]);
    expect(seen[2]).toEqual(seen[1]);
    expect(seen[1]).not.toEqual(seen[0]);
    model.dispose();
  });
});

describe('csvLogger', () => {
  it("writes Keras's columns (epoch, then the sorted keys), the history's values, and appends without a second header", async () => {
    const path = join(tmp, 'log.csv');
    const model = embeddingFlatten({ maxWords: 20, maxlen: 4, embeddingDim: 2, seed: 1 });
    const data = tinyTokens(16, 4, 20, 2);
    const h1 = await train(model, data, { epochs: 2, batchSize: 8, validationSplit: 0.25, callbacks: [csvLogger(path)] });
    const h2 = await train(model, data, {
      epochs: 3,
      initialEpoch: 2,
      batchSize: 8,
      validationSplit: 0.25,
      callbacks: [csvLogger(path, { append: true })],
    });
    const lines = readFileSync(path, 'utf8')
      .split('\r\n')
      .filter((l) => l !== '');
    expect(lines[0]).toBe('epoch,acc,loss,val_acc,val_loss');
    expect(lines).toHaveLength(4);
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    const keys = ['acc', 'loss', 'val_acc', 'val_loss'];
    expect(rows.map((r) => r[0])).toEqual([0, 1, 2]);
    rows.forEach((r, i) => keys.forEach((k, j) => expect(r[j + 1]).toBe(i < 2 ? h1.history[k][i] : h2.history[k][0])));
    await train(model, data, { epochs: 1, batchSize: 8, callbacks: [csvLogger(path, { separator: ';' })] });
    expect(readFileSync(path, 'utf8').split('\r\n')[0]).toBe('epoch;acc;loss');
    model.dispose();
  });

  it.skipIf(!existsSync(PYTHON))("writes numbers as Python's repr() of a float", () => {
    const values = [0, 1, -2, 0.5, 0.1 + 0.2, 1e-5, 1.5e-7, 0.0001, 123456789.125, 1e16, 2.5e21, 1 / 3, Number.NaN, Infinity, -Infinity];
    // JSON has no NaN or infinities: they go as strings, which float() reads.
    const expected = python(
      'import json,sys\nprint(json.dumps([repr(float(v)) for v in json.loads(sys.stdin.read())]))',
      values.map((v) => (Number.isFinite(v) ? v : String(v))),
    ) as string[];
    expect(values.map(pythonFloat)).toEqual(expected);
  });
});

describe('summary', () => {
  it("prints Keras's layout with tfjs's own shapes and counts; the book's SimpleRNN model totals 322,113", () => {
    // Listing 6.22 + a Dense(1): Embedding(10000, 32) 320,000 + SimpleRNN(32) 2,080 + Dense 33.
    const model = simpleRnn({ maxWords: 10000, embeddingDim: 32, units: 32, maxlen: 500 });
    const text = summary(model);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`Model: "${model.name}"`);
    expect(lines[2]).toBe('Layer (type)                 Output Shape              Param #   ');
    expect(lines[3]).toBe('='.repeat(65));
    expect(text).toContain('Total params: 322,113\nTrainable params: 322,113\nNon-trainable params: 0');
    // tfjs's own summary (a different layout) names the same layers, shapes and counts.
    const theirs: string[] = [];
    model.summary(undefined, undefined, (line: string) => theirs.push(line));
    for (const layer of model.layers) {
      const row = lines.find((l) => l.startsWith(`${layer.name} (`))!;
      expect(row.slice(29, 55).trim()).toBe(
        `(${(layer.outputShape as (number | null)[]).map((d) => (d === null ? 'None' : d)).join(', ')})`,
      );
      expect(row.slice(55).trim()).toBe(String(layer.countParams()));
      expect(theirs.some((l) => l.includes(layer.name) && l.trim().endsWith(String(layer.countParams())))).toBe(true);
    }
    expect(theirs.join('\n')).toContain('Total params: 322113');
    model.dispose();
  });

  it('counts a frozen layer as non-trainable', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 100, outputDim: 4, inputLength: 3, trainable: false }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1 }),
      ],
    });
    expect(summary(model)).toContain('Total params: 413\nTrainable params: 13\nNon-trainable params: 400');
    model.dispose();
  });
});
