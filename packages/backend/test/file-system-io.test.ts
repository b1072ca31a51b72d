import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, ModelFileError, type Tfjs } from '../src/index.js';
import { seededRandom } from './seeded-random.js';

let tf: Tfjs;
let dir: string;

beforeAll(async () => {
  ({ tf } = await initBackend());
  dir = await mkdtemp(join(tmpdir(), 'seqlearn-backend-io-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function buildModel(): import('@tensorflow/tfjs').LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: 50, outputDim: 4, inputLength: 6 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 3, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'rmsprop', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

function tokens(seed: number) {
  const rand = seededRandom(seed);
  return tf.tensor2d(
    Int32Array.from({ length: 8 * 6 }, () => Math.floor(rand() * 50)),
    [8, 6],
    'int32',
  );
}

describe('file:// model IO', () => {
  it('round-trips a trained layers model with identical predictions', async () => {
    const model = buildModel();
    const x = tokens(1);
    await model.fit(x, tf.tensor2d([1, 0, 1, 0, 1, 1, 0, 0], [8, 1]), { epochs: 2, batchSize: 4, verbose: 0 });
    const target = join(dir, 'nested', 'model');
    const saved = await model.save(`file://${target}`);
    expect(saved.modelArtifactsInfo.weightDataBytes).toBeGreaterThan(0);

    const loaded = await tf.loadLayersModel(`file://${join(target, 'model.json')}`);
    const probe = tokens(2);
    const before = (model.predict(probe) as import('@tensorflow/tfjs').Tensor).dataSync();
    const after = (loaded.predict(probe) as import('@tensorflow/tfjs').Tensor).dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
  });

  it("writes tfjs's layout: model.json with a weightsManifest pointing at weights.bin", async () => {
    const model = buildModel();
    const target = join(dir, 'layout');
    await model.save(`file://${target}`);
    const json = JSON.parse(await readFile(join(target, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const bytes = json.weightsManifest[0].weights.reduce(
      (n: number, w: { shape: number[] }) => n + 4 * w.shape.reduce((a, b) => a * b, 1),
      0,
    );
    expect((await stat(join(target, 'weights.bin'))).size).toBe(bytes);
    expect(bytes).toBe(4 * model.countParams());
  });

  it('loads from the directory as well as from model.json', async () => {
    const model = buildModel();
    const target = join(dir, 'by-dir');
    await model.save(`file://${target}`);
    const loaded = await tf.loadLayersModel(`file://${target}`);
    expect(loaded.countParams()).toBe(model.countParams());
  });

  it('gives a typed error naming the path for a missing model, a truncated weights.bin and a file in the way', async () => {
    await expect(tf.loadLayersModel(`file://${join(dir, 'nope', 'model.json')}`)).rejects.toThrow(ModelFileError);
    await expect(tf.loadLayersModel(`file://${join(dir, 'nope', 'model.json')}`)).rejects.toThrow(/nope.*does not exist/);

    const target = join(dir, 'truncated');
    await buildModel().save(`file://${target}`);
    await truncate(join(target, 'weights.bin'), 10);
    await expect(tf.loadLayersModel(`file://${join(target, 'model.json')}`)).rejects.toThrow(ModelFileError);
    await expect(tf.loadLayersModel(`file://${join(target, 'model.json')}`)).rejects.toThrow(/hold 10 bytes/);

    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'x');
    await expect(buildModel().save(`file://${blocker}`)).rejects.toThrow(ModelFileError);

    await writeFile(join(dir, 'bad.json'), '{ not json');
    await expect(tf.loadLayersModel(`file://${join(dir, 'bad.json')}`)).rejects.toThrow(/bad\.json is not valid JSON/);
  });
});
