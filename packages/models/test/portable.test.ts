// Saved models are plain tfjs models: the fused layers save as tfjs's stock classes, plain
// @tensorflow/tfjs (in a process that imports no @seqlearn package) loads every zoo model and
// predicts the same numbers, loadModel swaps the fused layers back in, bundles saved with the
// former fused class names still load, and layers models made elsewhere load fused where they can.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@seqlearn/backend';
import {
  FusedBidirectional,
  ModelConfigError,
  bidirectionalGru,
  bidirectionalGruTimeseries,
  bidirectionalLstm,
  conv1dText,
  conv1dTimeseries,
  convGruTimeseries,
  denseTimeseries,
  embeddingFlatten,
  fusedCellOf,
  fusedLstm,
  fusedGru,
  fusedSimpleRNN,
  gru,
  gruDropoutTimeseries,
  gruTimeseries,
  loadBundle,
  loadModel,
  lstm,
  pretrainedEmbeddingFlatten,
  reutersBidirectionalLstm,
  reutersLstm,
  reutersSimpleRnn,
  simpleRnn,
  stackedGruTimeseries,
  stackedSimpleRnn,
  train,
  trainStepSupport,
} from '../src/index.js';
import { tinyTokens, tinyWindows } from './helpers.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const PLAIN_SCRIPT = join(here, 'fixtures', 'plain-tfjs-predict.mjs');
const LEGACY = join(here, 'fixtures', 'legacy-v1');
const TOL = 1e-5;

await initBackend();

const VOCAB = 30;
const small = { maxWords: VOCAB, embeddingDim: 4, units: 3, seed: 5 };
type Case = { name: string; build: () => tf.LayersModel; text: boolean; steps: number; classes: number };
const text = (name: string, build: () => tf.LayersModel, steps: number, classes = 2): Case => ({ name, build, text: true, steps, classes });
const series = (name: string, build: () => tf.LayersModel, steps: number): Case => ({ name, build, text: false, steps, classes: 0 });

/** Every builder of the zoo, small. */
const ZOO: Case[] = [
  text('embeddingFlatten', () => embeddingFlatten({ ...small, maxlen: 8 }), 8),
  text(
    'pretrainedEmbeddingFlatten',
    () =>
      pretrainedEmbeddingFlatten({
        ...small,
        maxlen: 8,
        hiddenUnits: 3,
        embeddingMatrix: new Float32Array(VOCAB * 4).map((_, i) => Math.sin(i)),
      }),
    8,
  ),
  text('simpleRnn', () => simpleRnn({ ...small, maxlen: 8 }), 8),
  text('stackedSimpleRnn', () => stackedSimpleRnn({ ...small, maxlen: 8 }), 8),
  text('lstm', () => lstm({ ...small, maxlen: 8 }), 8),
  text('gru', () => gru({ ...small, maxlen: 8 }), 8),
  text('bidirectionalLstm', () => bidirectionalLstm({ ...small, maxlen: 8 }), 8),
  text('bidirectionalGru', () => bidirectionalGru({ ...small, maxlen: 8 }), 8),
  text('conv1dText', () => conv1dText({ ...small, maxlen: 48, filters: 3 }), 48),
  text('reutersSimpleRnn', () => reutersSimpleRnn({ ...small }), 10, 46),
  text('reutersLstm', () => reutersLstm({ ...small }), 10, 46),
  text('reutersBidirectionalLstm', () => reutersBidirectionalLstm({ ...small }), 10, 46),
  series('denseTimeseries', () => denseTimeseries({ features: 2, timesteps: 6, hiddenUnits: 3, seed: 3 }), 6),
  series('gruTimeseries', () => gruTimeseries({ features: 2, units: 3, seed: 3 }), 6),
  series('gruDropoutTimeseries', () => gruDropoutTimeseries({ features: 2, units: 3, seed: 3 }), 6),
  series('stackedGruTimeseries', () => stackedGruTimeseries({ features: 2, units: 3, secondUnits: 4, seed: 3 }), 6),
  series('bidirectionalGruTimeseries', () => bidirectionalGruTimeseries({ features: 2, units: 3, seed: 3 }), 6),
  series('conv1dTimeseries', () => conv1dTimeseries({ features: 2, filters: 3, seed: 3 }), 64),
  series('convGruTimeseries', () => convGruTimeseries({ features: 2, filters: 3, units: 3, seed: 3 }), 30),
];

interface Probe {
  values: number[];
  shape: number[];
  dtype: 'int32' | 'float32';
}

function probeFor(c: Case): Probe {
  if (c.text) {
    const values = Array.from({ length: 3 * c.steps }, (_, i) => (i * 7 + 3) % VOCAB);
    return { values, shape: [3, c.steps], dtype: 'int32' };
  }
  const values = Array.from({ length: 3 * c.steps * 2 }, (_, i) => Math.sin(i * 0.7));
  return { values, shape: [3, c.steps, 2], dtype: 'float32' };
}

function predictValues(model: tf.LayersModel, probe: Probe): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor(probe.values, probe.shape, probe.dtype)) as tf.Tensor).dataSync()));
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

/** Recurrent layers of a model as [className, cell of the fused layer or undefined]. */
function recurrentKinds(model: tf.LayersModel): [string, string | undefined][] {
  const out: [string, string | undefined][] = [];
  for (const layer of model.layers) {
    const name = layer.getClassName();
    if (name === 'Bidirectional') {
      const halves = layer as unknown as { forwardLayer: tf.layers.Layer; backwardLayer: tf.layers.Layer };
      out.push([name, layer instanceof FusedBidirectional ? fusedCellOf(halves.forwardLayer) : undefined]);
      out.push([name, fusedCellOf(halves.backwardLayer)]);
    } else if (name === 'SimpleRNN' || name === 'LSTM' || name === 'GRU') {
      out.push([name, fusedCellOf(layer)]);
    }
  }
  return out;
}

let dir: string;
const expected = new Map<string, { dir: string; probe: Probe; values: number[] }>();
let legacyExpected: { texts: string[]; ids: number[]; shape: number[]; scores: number[] };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqlearn-portable-'));
  for (const c of ZOO) {
    const model = c.build();
    const data = c.text ? tinyTokens(8, c.steps, VOCAB, Math.max(c.classes, 2)) : tinyWindows(2, 4, c.steps, 2);
    await train(model, data, { epochs: 1, batchSize: 4 });
    const probe = probeFor(c);
    const out = join(dir, c.name);
    await model.save(`file://${out}`);
    expected.set(c.name, { dir: out, probe, values: predictValues(model, probe) });
    model.dispose();
  }
  legacyExpected = JSON.parse(await readFile(join(LEGACY, 'expected.json'), 'utf8')) as typeof legacyExpected;
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the fused layers save as tfjs stock layers', () => {
  it('with the stock class name and config: a fused and a stock layer built alike save the same config, plus the seed', () => {
    const args = {
      units: 3,
      returnSequences: true,
      dropout: 0.25,
      name: 'same',
      kernelInitializer: 'glorotUniform',
      recurrentInitializer: 'orthogonal',
    } as const;
    const pairs: [tf.layers.Layer, tf.layers.Layer][] = [
      [fusedLstm({ ...args, seed: 4 }), tf.layers.lstm(args)],
      [fusedGru({ ...args, seed: 4 }), tf.layers.gru(args)],
      [fusedSimpleRNN({ ...args, seed: 4 }), tf.layers.simpleRNN(args)],
    ];
    for (const [fused, stock] of pairs) {
      expect(fused.getClassName()).toBe(stock.getClassName());
      // Plus Keras 3's `seed` (of the dropout masks), which tfjs's layers ignore.
      expect(fused.getConfig()).toEqual({ ...stock.getConfig(), seed: 4 });
    }
  });

  it('no zoo model.json names a class plain tfjs lacks', async () => {
    const registered = tf.serialization.SerializationMap.getMap().classNameMap;
    for (const c of ZOO) {
      const json = await readFile(join(expected.get(c.name)!.dir, 'model.json'), 'utf8');
      expect(json, c.name).not.toMatch(/Fused/);
      const classes = [...json.matchAll(/"class_name":"([A-Za-z0-9]+)"/g)].map((m) => m[1]);
      for (const name of classes) expect(registered[name], `${c.name}: ${name}`).toBeDefined();
    }
  });
});

describe('plain @tensorflow/tfjs in a process without @seqlearn', () => {
  it('loads every zoo model (and one saved by the previous version, re-saved) and predicts the same numbers within 1e-5', async () => {
    const script = await readFile(PLAIN_SCRIPT, 'utf8');
    const imports = [...script.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports.sort()).toEqual(['@tensorflow/tfjs', 'node:fs/promises', 'node:path']);

    // A bundle written before the fused layers took the stock names: loaded through seqlearn
    // and saved again, plain tfjs reads it and predicts what that version predicted.
    const legacy = await loadBundle(join(LEGACY, 'text-bundle'));
    const legacyDir = join(dir, 'legacy-resaved');
    await legacy.model.save(`file://${legacyDir}`);
    legacy.dispose();

    const job = [...expected].map(([name, e]) => ({ name, dir: e.dir, x: e.probe }));
    job.push({ name: 'legacy', dir: legacyDir, x: { values: legacyExpected.ids, shape: legacyExpected.shape, dtype: 'int32' } });
    const jobPath = join(dir, 'job.json');
    const outPath = join(dir, 'plain.json');
    await writeFile(jobPath, JSON.stringify(job));
    await run(process.execPath, [PLAIN_SCRIPT, jobPath, outPath], { cwd: here, timeout: 60_000 });
    const { backend, results } = JSON.parse(await readFile(outPath, 'utf8')) as {
      backend: string;
      results: { name: string; classes: string[]; values: number[] }[];
    };
    expect(typeof backend).toBe('string');
    expect(results.map((r) => r.name)).toEqual(job.map((j) => j.name));
    for (const r of results) {
      const want = r.name === 'legacy' ? legacyExpected.scores : expected.get(r.name)!.values;
      expect(maxAbsDiff(r.values, want), r.name).toBeLessThan(TOL);
    }
    const legacyClasses = results.find((r) => r.name === 'legacy')!.classes;
    expect(legacyClasses).toEqual(['Embedding', 'SimpleRNN', 'LSTM', 'Bidirectional', 'Dense']);
  }, 60_000);
});

describe('loadModel swaps the fused layers back in', () => {
  it('every zoo model: fused layers, the same predictions, the compiled step where the original had it', async () => {
    for (const c of ZOO) {
      const e = expected.get(c.name)!;
      const original = c.build();
      const model = await loadModel(e.dir);
      const kinds = recurrentKinds(model);
      expect(kinds, c.name).toEqual(recurrentKinds(original));
      for (const [, cell] of kinds) expect(cell, c.name).toBeDefined();
      expect(maxAbsDiff(predictValues(model, e.probe), e.values), c.name).toBeLessThan(TOL);
      // Saved without its optimizer: compile it as the builder does, and the step compiles.
      model.compile({ optimizer: 'rmsprop', loss: original.loss, metrics: original.metricsNames.includes('acc') ? ['acc'] : [] });
      expect(trainStepSupport(model), c.name).toEqual(trainStepSupport(original));
      expect(trainStepSupport(model).supported, c.name).toBe(true);
      original.dispose();
      model.dispose();
    }
  }, 30_000);

  it('over http (a local server), as a page would fetch it', async () => {
    const e = expected.get('bidirectionalLstm')!;
    const server = createServer((req, res) => {
      readFile(join(e.dir, (req.url ?? '/').slice(1))).then(
        (body) => res.end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const model = await loadModel(`http://127.0.0.1:${port}/model.json`);
      expect(recurrentKinds(model)).toEqual([
        ['Bidirectional', 'lstm'],
        ['Bidirectional', 'lstm'],
      ]);
      expect(maxAbsDiff(predictValues(model, e.probe), e.values)).toBeLessThan(TOL);
      model.dispose();
    } finally {
      server.close();
    }
  });

  it("recurrentImpl 'stock' loads tfjs's own layers, which predict the same", async () => {
    for (const name of ['bidirectionalLstm', 'stackedGruTimeseries', 'reutersSimpleRnn']) {
      const e = expected.get(name)!;
      const model = await loadModel(`file://${e.dir}`, { recurrentImpl: 'stock' });
      const kinds = recurrentKinds(model);
      expect(kinds.length, name).toBeGreaterThan(0);
      for (const [, cell] of kinds) expect(cell, name).toBeUndefined();
      expect(maxAbsDiff(predictValues(model, e.probe), e.values), name).toBeLessThan(TOL);
      model.dispose();
    }
  });

  it('a loaded model trains through the compiled step', async () => {
    const e = expected.get('bidirectionalGru')!;
    const model = await loadModel(e.dir);
    model.compile({ optimizer: 'rmsprop', loss: 'binaryCrossentropy', metrics: ['acc'] });
    const history = await train(model, tinyTokens(8, 8, VOCAB, 2, 9), { epochs: 1, batchSize: 4, compiledStep: true });
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
    model.dispose();
  });
});

describe('models saved by the previous version (fused class names)', () => {
  it('the legacy bundle loads with fused layers and predicts what that version predicted', async () => {
    const json = await readFile(join(LEGACY, 'text-bundle', 'model', 'model.json'), 'utf8');
    expect(json).toMatch(/"class_name":"FusedLSTM"/);
    const bundle = await loadBundle(join(LEGACY, 'text-bundle'));
    expect(recurrentKinds(bundle.model)).toEqual([
      ['SimpleRNN', 'simpleRnn'],
      ['LSTM', 'lstm'],
      ['Bidirectional', 'gru'],
      ['Bidirectional', 'gru'],
    ]);
    const scores = (await bundle.predictText(legacyExpected.texts)).map((p) => p.scores[0]);
    expect(maxAbsDiff(scores, legacyExpected.scores)).toBeLessThan(TOL);
    bundle.dispose();
  });
});

describe('layers models made elsewhere', () => {
  it('a plain tfjs model loads fused, predicts as tfjs does, and trains through the compiled step', async () => {
    const stock = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: VOCAB, outputDim: 4, inputLength: 8 }),
        tf.layers.gru({ units: 3, returnSequences: true }),
        tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 2 }) as tf.RNN }),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const out = join(dir, 'plain-made');
    await stock.save(`file://${out}`);
    const probe: Probe = { values: Array.from({ length: 16 }, (_, i) => (i * 5) % VOCAB), shape: [2, 8], dtype: 'int32' };
    const model = await loadModel(out);
    expect(recurrentKinds(model)).toEqual([
      ['GRU', 'gru'],
      ['Bidirectional', 'lstm'],
      ['Bidirectional', 'lstm'],
    ]);
    expect(maxAbsDiff(predictValues(model, probe), predictValues(stock, probe))).toBeLessThan(TOL);
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['acc'] });
    const history = await train(model, tinyTokens(8, 8, VOCAB, 2, 3), { epochs: 1, batchSize: 4, compiledStep: true });
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
    stock.dispose();
    model.dispose();
  });

  // tfjs-converter's Keras layers format (Keras 2 names and snake_case config), with weights
  // made up here: the reference is plain tfjs loading the same files.
  async function kerasArtifacts(edit?: (topology: string) => string): Promise<tf.io.ModelArtifacts> {
    const json = JSON.parse(await readFile(join(here, 'fixtures', 'keras-layers', 'model.json'), 'utf8')) as {
      modelTopology: object;
      weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
    };
    const specs = json.weightsManifest.flatMap((g) => g.weights);
    let topology = JSON.stringify(json.modelTopology);
    if (edit !== undefined) {
      topology = edit(topology);
      // resetAfter: two bias rows per GRU.
      for (const s of specs) if (/gru_cell\/bias$/.test(s.name) && topology.includes('"reset_after":true')) s.shape = [2, 6];
    }
    const count = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    const values = Float32Array.from({ length: count }, (_, i) => 0.6 * Math.sin(1.3 * i + 0.2));
    return { modelTopology: JSON.parse(topology) as object, weightSpecs: specs, weightData: values.buffer };
  }

  it("Keras through tfjs-converter: fused where the layers allow, tfjs's own where not, same predictions", async () => {
    const artifacts = await kerasArtifacts();
    const reference = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    let report: { fused: string[]; stock: { layer: string; reason: string }[] } | undefined;
    const model = await loadModel(tf.io.fromMemory(artifacts), { onRecurrentLayers: (r) => (report = r) });
    expect(report?.fused).toEqual(['lstm', 'gru']);
    expect(report?.stock.map((s) => s.layer)).toEqual(['simple_rnn']);
    expect(report?.stock[0].reason).toMatch(/softsign/);
    expect(recurrentKinds(model)).toEqual([
      ['LSTM', 'lstm'],
      ['SimpleRNN', undefined],
      ['Bidirectional', 'gru'],
      ['Bidirectional', 'gru'],
    ]);
    const probe: Probe = { values: Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.cos(i)), shape: [2, 5, 3], dtype: 'float32' };
    const want = predictValues(reference, probe);
    expect(maxAbsDiff(predictValues(model, probe), want)).toBeLessThan(TOL);
    // It trains: the stock SimpleRNN keeps the compiled step out, trainOnBatch runs.
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const support = trainStepSupport(model);
    expect(support.supported).toBe(false);
    if (!support.supported) expect(support.reason).toMatch(/simple_rnn/);
    const history = await train(model, tinyWindows(2, 4, 5, 3), { epochs: 1 });
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
    expect(maxAbsDiff(predictValues(model, probe), want)).toBeGreaterThan(0);
    reference.dispose();
    model.dispose();
  });

  it('a Keras GRU with resetAfter: true (tf.keras 2 default) loads fused; as stock it fails naming the fix', async () => {
    const artifacts = await kerasArtifacts((t) => t.replace('"reset_after":false', '"reset_after":true'));
    await expect(tf.loadLayersModel(tf.io.fromMemory(artifacts))).rejects.toThrow(/reset_after/);
    const model = await loadModel(tf.io.fromMemory(artifacts));
    expect(recurrentKinds(model)[2]).toEqual(['Bidirectional', 'gru']);
    model.dispose();
    const error = await loadModel(tf.io.fromMemory(artifacts), { recurrentImpl: 'stock' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelConfigError);
    expect((error as Error).message).toMatch(/resetAfter: true.*recurrentImpl 'fused'/);
  });
});
