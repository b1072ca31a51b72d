import { join, readFile, resolve, stat, writeFile } from '#platform';
import { writeFolderAtomic } from '@seqlearn/dataset';
import { initBackend } from '@seqlearn/backend';
import { Tokenizer, padSequences } from '@seqlearn/text';
import { tf } from './tf.js';
import { BundleCorruptError, BundleVersionError, InputShapeError, ModelConfigError } from './errors.js';
import { checkInput, checkTokens, modelSignature } from './data/check.js';
import type { History } from './history.js';
import { bundleSource, sha256Hex, type BundleSource } from './bundle-source.js';
import { loadModel } from './load-model.js';
import { planPredict, type CompiledPredict } from './step/compiled-predict.js';

/** Bumped whenever the folder layout or bundle.json changes incompatibly. */
export const BUNDLE_FORMAT_VERSION = 1;
const BUNDLE_FORMAT = 'seqlearn-bundle';
const MANIFEST = 'bundle.json';
const MODEL_DIR = 'model';

/** How raw text becomes model input: the padding the model was trained with, and label names. */
export interface TextBundleConfig {
  task: 'text';
  maxlen: number;
  padding?: 'pre' | 'post';
  truncating?: 'pre' | 'post';
  /** Names of the classes, index = label. */
  labels?: string[];
  [key: string]: unknown;
}

/** How a raw window becomes model input, and the model's output becomes the target's units. */
export interface SeriesBundleConfig {
  task: 'series';
  /** Feature names, in the window's column order. */
  features?: string[];
  /** Per-feature mean and std the model was trained on; windows are normalized with them. */
  normalization?: { mean: number[]; std: number[] };
  /** Feature the model forecasts; its mean/std turn predictions back into the feature's units. */
  targetFeature?: number;
  /** Rows of a window (the model's timesteps); a window of any other length is refused. */
  timesteps?: number;
  [key: string]: unknown;
}

export interface OtherBundleConfig {
  task: 'other';
  [key: string]: unknown;
}

export type BundleConfig = TextBundleConfig | SeriesBundleConfig | OtherBundleConfig;

export interface BundleContents {
  model: tf.LayersModel;
  config: BundleConfig;
  tokenizer?: Tokenizer;
  history?: History;
}

interface FileEntry {
  bytes: number;
  sha256: string;
}

interface Manifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  writtenBy: string;
  createdAt: string;
  config: BundleConfig;
  files: Record<string, FileEntry>;
}

function checkConfig(contents: BundleContents): void {
  const { config } = contents;
  if (config.task === 'text') {
    if (contents.tokenizer === undefined)
      throw new ModelConfigError(`saveBundle: a text bundle needs its tokenizer (config.task is 'text')`);
    if (!Number.isInteger(config.maxlen) || config.maxlen < 1)
      throw new ModelConfigError(`saveBundle: config.maxlen must be a positive integer, got ${config.maxlen}`);
  } else if (config.task === 'series') {
    const n = config.normalization;
    if (n !== undefined && (n.mean.length !== n.std.length || n.std.some((s) => !(s > 0)))) {
      throw new ModelConfigError(`saveBundle: config.normalization needs mean and std of equal length with every std > 0`);
    }
  } else if (config.task !== 'other') {
    throw new ModelConfigError(
      `saveBundle: config.task must be 'text', 'series' or 'other', got '${String((config as { task: unknown }).task)}'`,
    );
  }
}

/**
 * Writes a bundle folder: the model (tfjs `model.json` + `weights.bin` under `model/`), the
 * tokenizer as Keras JSON, the history, and `bundle.json` with the format version and a
 * checksum per file. The folder is built beside `dir` and takes its place whole (`writeFolderAtomic`).
 */
export async function saveBundle(dir: string, contents: BundleContents): Promise<void> {
  await initBackend();
  checkConfig(contents);
  await writeFolderAtomic(resolve(dir), async (folder) => {
    await contents.model.save(`file://${join(folder, MODEL_DIR)}`, { includeOptimizer: false });
    const extra: Record<string, string> = {};
    if (contents.tokenizer !== undefined) extra['tokenizer.json'] = contents.tokenizer.toJSON();
    if (contents.history !== undefined) extra['history.json'] = JSON.stringify(contents.history);
    for (const [name, text] of Object.entries(extra)) await writeFile(join(folder, name), text);
    const files: Record<string, FileEntry> = {};
    for (const name of [`${MODEL_DIR}/model.json`, `${MODEL_DIR}/weights.bin`, ...Object.keys(extra)]) {
      const data = await readFile(join(folder, name));
      files[name] = { bytes: data.byteLength, sha256: await sha256Hex(data) };
    }
    const manifest: Manifest = {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      writtenBy: '@seqlearn/models',
      createdAt: new Date().toISOString(),
      config: contents.config,
      files,
    };
    await writeFile(join(folder, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  });
}

export interface TextPrediction {
  text: string;
  /** The head's outputs: one probability (sigmoid) or one per class (softmax). */
  scores: number[];
  /** Predicted class: score > 0.5 for a sigmoid head, the argmax for softmax. */
  label: number;
  labelName?: string;
}

/** A window of `timesteps × features` values: nested rows, or a flat row-major array with its shape. */
export type SeriesWindow = readonly (readonly number[])[] | { values: Float32Array | Float64Array; shape: readonly [number, number] };

/** A loaded bundle: predicts from raw text or raw windows with nothing else to set up. */
export interface LoadedBundle {
  model: tf.LayersModel;
  config: BundleConfig;
  tokenizer: Tokenizer | undefined;
  history: History | undefined;
  formatVersion: number;
  predictText(texts: readonly string[]): Promise<TextPrediction[]>;
  /** One forecast for one window, in the target's units when the bundle holds normalization. */
  predictSeries(window: SeriesWindow): Promise<number>;
  dispose(): void;
}

const utf8 = new TextDecoder();

async function readManifest(source: BundleSource): Promise<Manifest> {
  const path = source.where(MANIFEST);
  let text: string;
  try {
    text = utf8.decode(await source.read(MANIFEST));
  } catch (e) {
    throw new BundleCorruptError(`${path} cannot be read (${(e as Error).message}); expected a folder written by saveBundle`, { cause: e });
  }
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(text) as Partial<Manifest>;
  } catch (e) {
    throw new BundleCorruptError(`${path} is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  if (manifest === null || typeof manifest !== 'object' || manifest.format !== BUNDLE_FORMAT) {
    throw new BundleCorruptError(`${path} is not a seqlearn bundle manifest: expected "format": "${BUNDLE_FORMAT}"`);
  }
  if (typeof manifest.formatVersion !== 'number') {
    throw new BundleCorruptError(`${path} has no numeric "formatVersion"`);
  }
  if (manifest.formatVersion !== BUNDLE_FORMAT_VERSION) {
    const age = manifest.formatVersion < BUNDLE_FORMAT_VERSION ? 'an older' : 'a newer';
    throw new BundleVersionError(
      `${source.location} was written in bundle format version ${manifest.formatVersion}, ${age} format than this @seqlearn/models reads (version ${BUNDLE_FORMAT_VERSION}); re-save the bundle with a matching version of @seqlearn/models`,
    );
  }
  if (typeof manifest.files !== 'object' || manifest.files === null || typeof manifest.config !== 'object' || manifest.config === null) {
    throw new BundleCorruptError(`${path} lacks "files" or "config"`);
  }
  return manifest as Manifest;
}

async function verifiedFile(source: BundleSource, name: string, entry: FileEntry): Promise<Uint8Array> {
  const path = source.where(name);
  let data: Uint8Array;
  try {
    data = await source.read(name);
  } catch (e) {
    throw new BundleCorruptError(`${path} is missing or unreadable (${(e as Error).message}); the bundle manifest lists it`, { cause: e });
  }
  if (data.byteLength !== entry.bytes) {
    throw new BundleCorruptError(`${path} holds ${data.byteLength} bytes; the bundle manifest says ${entry.bytes} (truncated or altered)`);
  }
  if ((await sha256Hex(data)) !== entry.sha256) {
    throw new BundleCorruptError(`${path} does not match its sha256 in ${MANIFEST} (altered or corrupted)`);
  }
  return data;
}

function windowArray(window: SeriesWindow, where: string): { values: Float32Array; shape: [number, number] } {
  if ('values' in window && 'shape' in window) {
    const [t, f] = window.shape;
    if (window.values.length !== t * f) {
      throw new InputShapeError(`${where}: window holds ${window.values.length} values but its shape [${t}, ${f}] needs ${t * f}`);
    }
    return { values: Float32Array.from(window.values), shape: [t, f] };
  }
  const rows = window as readonly (readonly number[])[];
  const t = rows.length;
  const f = t === 0 ? 0 : rows[0].length;
  const values = new Float32Array(t * f);
  rows.forEach((row, i) => {
    if (row.length !== f) throw new InputShapeError(`${where}: window row ${i} has ${row.length} values; row 0 has ${f}`);
    values.set(row, i * f);
  });
  return { values, shape: [t, f] };
}

/** The model's files as tfjs artifacts, from the verified bytes (never read a second time). */
async function modelArtifacts(data: Record<string, Uint8Array>, source: BundleSource): Promise<tf.io.ModelArtifacts> {
  const modelJson = JSON.parse(utf8.decode(data[`${MODEL_DIR}/model.json`])) as tf.io.ModelJSON;
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const parts = manifest
      .flatMap((group) => group.paths)
      .map((p) => {
        const part = data[`${MODEL_DIR}/${p}`];
        if (part === undefined)
          throw new Error(`its weights file ${source.where(`${MODEL_DIR}/${p}`)} is not among the files ${MANIFEST} lists`);
        return part;
      });
    const weights = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
    let at = 0;
    for (const part of parts) {
      weights.set(part, at);
      at += part.byteLength;
    }
    return [manifest.flatMap((group) => group.weights), weights.buffer];
  });
}

/**
 * Loads a bundle written by `saveBundle`, checking its version and every file's sha256: from a
 * folder (Node), or from a URL over `fetch` (a `URL`, an http(s) address, or in a browser a
 * path relative to the page).
 */
export async function loadBundle(location: string | URL): Promise<LoadedBundle> {
  await initBackend();
  const source = bundleSource(location);
  const manifest = await readManifest(source);
  const data: Record<string, Uint8Array> = {};
  for (const [name, entry] of Object.entries(manifest.files)) data[name] = await verifiedFile(source, name, entry);
  if (data[`${MODEL_DIR}/model.json`] === undefined)
    throw new BundleCorruptError(`${source.where(MANIFEST)} lists no ${MODEL_DIR}/model.json`);

  let model: tf.LayersModel;
  try {
    model = await loadModel(tf.io.fromMemory(await modelArtifacts(data, source)));
  } catch (e) {
    throw new BundleCorruptError(`${source.where(MODEL_DIR)}: the model does not load (${(e as Error).message})`, { cause: e });
  }
  let tokenizer: Tokenizer | undefined;
  if (data['tokenizer.json'] !== undefined) {
    try {
      tokenizer = Tokenizer.fromJSON(utf8.decode(data['tokenizer.json']));
    } catch (e) {
      throw new BundleCorruptError(`${source.where('tokenizer.json')}: ${(e as Error).message}`, { cause: e });
    }
  }
  const history = data['history.json'] === undefined ? undefined : (JSON.parse(utf8.decode(data['history.json'])) as History);
  const config = manifest.config;
  const sig = modelSignature(model);

  let compiled: CompiledPredict | string | undefined;
  const runModel = (x: tf.Tensor): Float32Array => {
    try {
      const out = model.predict(x) as tf.Tensor;
      const values = out.dataSync() as Float32Array;
      out.dispose();
      return values;
    } finally {
      x.dispose();
    }
  };

  return {
    model,
    config,
    tokenizer,
    history,
    formatVersion: manifest.formatVersion,
    async predictText(texts) {
      if (config.task !== 'text' || tokenizer === undefined) {
        throw new ModelConfigError(`predictText: this bundle's task is '${config.task}'; predictText needs a text bundle with a tokenizer`);
      }
      if (texts.length === 0) return [];
      const padded = padSequences(tokenizer.textsToSequences(texts), {
        maxlen: config.maxlen,
        padding: config.padding ?? 'pre',
        truncating: config.truncating ?? 'pre',
      });
      checkInput(sig, [config.maxlen], 'int32', 'predictText');
      checkTokens(sig, padded.values, 'predictText');
      // The compiled forward pass when the model has one (the zoo's text models do), else tfjs's predict.
      if (compiled === undefined) compiled = tf.getBackend() === 'cpu' ? planPredict(model) : 'not on the cpu backend';
      const scores =
        typeof compiled === 'string'
          ? runModel(tf.tensor2d(padded.values, [texts.length, config.maxlen], 'int32'))
          : compiled.predict(padded.values, [texts.length, config.maxlen]);
      return texts.map((text, i) => {
        const row = Array.from(scores.subarray(i * sig.outputs, (i + 1) * sig.outputs));
        const label = row.length === 1 ? Number(row[0] > 0.5) : row.indexOf(Math.max(...row));
        const labelName = config.labels?.[label];
        return labelName === undefined ? { text, scores: row, label } : { text, scores: row, label, labelName };
      });
    },
    async predictSeries(window) {
      if (config.task !== 'series') {
        throw new ModelConfigError(`predictSeries: this bundle's task is '${config.task}'; predictSeries needs a series bundle`);
      }
      const { values, shape } = windowArray(window, 'predictSeries');
      checkInput(sig, shape, 'float32', 'predictSeries');
      // A recurrent model reads any number of timesteps, so a short window would forecast silently.
      const timesteps = config.timesteps;
      if (typeof timesteps === 'number' && shape[0] !== timesteps) {
        throw new InputShapeError(
          `predictSeries: the window has ${shape[0]} rows; this bundle's model was trained on windows of exactly ${timesteps} rows (timesteps)`,
        );
      }
      const norm = config.normalization;
      if (norm !== undefined) {
        if (norm.mean.length !== shape[1]) {
          throw new InputShapeError(
            `predictSeries: the window has ${shape[1]} features; the bundle's normalization has ${norm.mean.length}`,
          );
        }
        for (let i = 0; i < values.length; i++) {
          const f = i % shape[1];
          values[i] = (values[i] - norm.mean[f]) / norm.std[f];
        }
      }
      const y = runModel(tf.tensor3d(values, [1, shape[0], shape[1]], 'float32'))[0];
      const target = config.targetFeature;
      return norm !== undefined && target !== undefined ? y * norm.std[target] + norm.mean[target] : y;
    },
    dispose() {
      model.dispose();
    },
  };
}

/** True when `dir` holds a bundle manifest (a cheap check before `loadBundle`). */
export async function isBundle(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, MANIFEST))).isFile();
  } catch {
    return false;
  }
}
