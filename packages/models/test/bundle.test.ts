import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@seqlearn/backend';
import { paddedSequencesTable } from '@seqlearn/dataset';
import { Tokenizer, padSequences } from '@seqlearn/text';
import {
  BundleCorruptError,
  BundleVersionError,
  InputShapeError,
  embeddingFlatten,
  gruTimeseries,
  loadBundle,
  saveBundle,
  train,
  type History,
} from '../src/index.js';
import { tinyWindows } from './helpers.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..');

await initBackend();

const reviews = [
  'a great movie, great acting',
  'a terrible boring movie',
  'great fun',
  'boring and terrible plot',
  'what a great film',
  'terrible',
];
const labels = [1, 0, 1, 0, 1, 0];
const MAXLEN = 6;

let dir: string;
let textDir: string;
let seriesDir: string;
let model: tf.LayersModel;
let tokenizer: Tokenizer;
let history: History;
let seriesModel: tf.LayersModel;
const norm = { mean: [10, -3], std: [2, 0.5] };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqlearn-bundle-'));
  textDir = join(dir, 'text');
  seriesDir = join(dir, 'series');
  tokenizer = new Tokenizer({ numWords: 20 });
  tokenizer.fitOnTexts(reviews);
  const padded = padSequences(tokenizer.textsToSequences(reviews), { maxlen: MAXLEN });
  const table = paddedSequencesTable({ tokens: padded.values, maxlen: MAXLEN, label: labels });
  model = embeddingFlatten({ maxWords: 20, embeddingDim: 4, maxlen: MAXLEN, seed: 2 });
  history = await train(model, table, { epochs: 3, batchSize: 3 });
  await saveBundle(textDir, { model, tokenizer, config: { task: 'text', maxlen: MAXLEN, labels: ['neg', 'pos'] }, history });

  seriesModel = gruTimeseries({ features: 2, units: 3, seed: 4 });
  await train(seriesModel, tinyWindows(2, 4, 5, 2), { epochs: 1 });
  await saveBundle(seriesDir, {
    model: seriesModel,
    config: { task: 'series', features: ['a', 'b'], normalization: norm, targetFeature: 1 },
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function expectedText(texts: string[]): number[] {
  const x = padSequences(tokenizer.textsToSequences(texts), { maxlen: MAXLEN });
  return tf.tidy(() => Array.from((model.predict(tf.tensor2d(x.values, [texts.length, MAXLEN], 'int32')) as tf.Tensor).dataSync()));
}

const rawWindow = [
  [11, -3.2],
  [9.5, -2.9],
  [10, -3],
  [12, -3.5],
  [8, -2.5],
];

function expectedSeries(): number {
  const normalized = rawWindow.flatMap((row) => row.map((v, f) => (v - norm.mean[f]) / norm.std[f]));
  const y = tf.tidy(() => (seriesModel.predict(tf.tensor3d(normalized, [1, 5, 2])) as tf.Tensor).dataSync()[0]);
  return y * norm.std[1] + norm.mean[1];
}

describe('bundles', () => {
  it('a loaded text bundle predicts raw text exactly as the trained model', async () => {
    const bundle = await loadBundle(textDir);
    const texts = ['a great movie', 'terrible boring plot'];
    const out = await bundle.predictText(texts);
    const expected = expectedText(texts);
    expect(out.map((p) => p.scores[0])).toEqual(expected);
    expect(out[0]).toMatchObject({ text: 'a great movie', label: Number(expected[0] > 0.5), labelName: expected[0] > 0.5 ? 'pos' : 'neg' });
    expect(bundle.history).toEqual(history);
    expect(bundle.tokenizer?.toJSON()).toBe(tokenizer.toJSON());
    bundle.dispose();
  });

  it('a saved text bundle predicts in a fresh process', async () => {
    const texts = ['a great movie', 'terrible boring plot'];
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@seqlearn/source',
        join(here, 'fixtures', 'predict-bundle.ts'),
        textDir,
        'text',
        JSON.stringify(texts),
      ],
      { cwd: packageDir },
    );
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { scores: number[] }[];
    expect(out.map((p) => p.scores[0])).toEqual(expectedText(texts));
  });

  it('a saved series bundle normalizes the raw window and denormalizes the forecast, in a fresh process', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@seqlearn/source',
        join(here, 'fixtures', 'predict-bundle.ts'),
        seriesDir,
        'series',
        JSON.stringify(rawWindow),
      ],
      { cwd: packageDir },
    );
    const y = JSON.parse(stdout.trim().split('\n').at(-1)!) as number;
    expect(y).toBeCloseTo(expectedSeries(), 5);
    const bundle = await loadBundle(seriesDir);
    expect(await bundle.predictSeries(rawWindow)).toBeCloseTo(expectedSeries(), 6);
    await expect(bundle.predictSeries([[1, 2, 3]])).rejects.toThrow(InputShapeError);
    await expect(bundle.predictText(['x'])).rejects.toThrow(/task is 'series'/);
    bundle.dispose();
  });

  it('a series bundle with timesteps refuses a window of fewer rows, naming the rows it needs', async () => {
    // The GRU reads any number of timesteps: without the bundle's own check a short window forecasts silently.
    const timedDir = join(dir, 'series-timesteps');
    await saveBundle(timedDir, {
      model: seriesModel,
      config: { task: 'series', features: ['a', 'b'], normalization: norm, targetFeature: 1, timesteps: 5 },
    });
    const bundle = await loadBundle(timedDir);
    expect(await bundle.predictSeries(rawWindow)).toBeCloseTo(expectedSeries(), 6);
    const short = bundle.predictSeries(rawWindow.slice(2));
    await expect(short).rejects.toThrow(InputShapeError);
    await expect(short).rejects.toThrow(/the window has 3 rows; this bundle's model was trained on windows of exactly 5 rows/);
    await expect(bundle.predictSeries({ values: Float32Array.from(rawWindow.slice(1).flat()), shape: [4, 2] })).rejects.toThrow(
      /has 4 rows/,
    );
    bundle.dispose();
  });

  it('an older format version gives BundleVersionError', async () => {
    const copy = join(dir, 'old');
    await saveBundle(copy, { model, tokenizer, config: { task: 'text', maxlen: MAXLEN } });
    const manifestPath = join(copy, 'bundle.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { formatVersion: number };
    manifest.formatVersion = 0;
    await writeFile(manifestPath, JSON.stringify(manifest));
    await expect(loadBundle(copy)).rejects.toThrow(BundleVersionError);
    await expect(loadBundle(copy)).rejects.toThrow(
      /bundle format version 0, an older format than this @seqlearn\/models reads \(version 1\)/,
    );
  });

  it('a corrupted weights file, a missing manifest or a broken tokenizer give BundleCorruptError', async () => {
    const copy = join(dir, 'corrupt');
    await saveBundle(copy, { model, tokenizer, config: { task: 'text', maxlen: MAXLEN } });
    const weights = join(copy, 'model', 'weights.bin');
    const bytes = await readFile(weights);
    bytes[0] ^= 0xff;
    await writeFile(weights, bytes);
    await expect(loadBundle(copy)).rejects.toThrow(BundleCorruptError);
    await expect(loadBundle(copy)).rejects.toThrow(/weights\.bin does not match its sha256/);
    await writeFile(weights, bytes.subarray(0, 10));
    await expect(loadBundle(copy)).rejects.toThrow(/holds 10 bytes; the bundle manifest says/);
    await rm(join(copy, 'bundle.json'));
    await expect(loadBundle(copy)).rejects.toThrow(/bundle\.json cannot be read.*expected a folder written by saveBundle/);
    await writeFile(join(copy, 'bundle.json'), '{"format": "seqlearn-bundle", "formatVer');
    await expect(loadBundle(copy)).rejects.toThrow(/is not valid JSON/);
    await expect(loadBundle(join(dir, 'nowhere'))).rejects.toThrow(BundleCorruptError);
  });

  it('loads over fetch from an http URL, checking every file against the sha256 that node:crypto computes', async () => {
    const manifest = JSON.parse(await readFile(join(textDir, 'bundle.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    for (const [name, entry] of Object.entries(manifest.files)) {
      expect(entry.sha256).toBe(
        createHash('sha256')
          .update(await readFile(join(textDir, name)))
          .digest('hex'),
      );
    }
    // Serves the bundle folder; `altered` replaces a file's bytes, `missing` answers 404.
    const altered = new Map<string, Uint8Array>();
    const missing = new Set<string>();
    const server: Server = createServer((req, res) => {
      const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/bundle\//, '');
      if (missing.has(name)) return void res.writeHead(404).end();
      const body = altered.get(name);
      if (body !== undefined) return void res.end(body);
      readFile(join(textDir, name)).then(
        (b) => res.end(b),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bundle`;
    try {
      const texts = ['a great movie', 'terrible boring plot', 'fun'];
      const bundle = await loadBundle(url);
      expect((await bundle.predictText(texts)).map((p) => p.scores[0])).toEqual(expectedText(texts));
      bundle.dispose();
      const fromUrl = await loadBundle(new URL(`${url}/`));
      expect(fromUrl.tokenizer?.toJSON()).toBe(tokenizer.toJSON());
      fromUrl.dispose();

      const weights = new Uint8Array(await readFile(join(textDir, 'model', 'weights.bin')));
      weights[3] ^= 0x01;
      altered.set('model/weights.bin', weights);
      await expect(loadBundle(url)).rejects.toThrow(new RegExp(`${url}/model/weights\\.bin does not match its sha256`));
      altered.clear();
      missing.add('tokenizer.json');
      await expect(loadBundle(url)).rejects.toThrow(/tokenizer\.json is missing or unreadable \(HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('saving a text bundle without its tokenizer is refused', async () => {
    await expect(saveBundle(join(dir, 'bad'), { model, config: { task: 'text', maxlen: MAXLEN } })).rejects.toThrow(/needs its tokenizer/);
  });
});
