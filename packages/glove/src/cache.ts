import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { IpcError, SchemaError, defaultCacheDir as seqlearnCacheDir, readTableSync, writeTable } from '@seqlearn/dataset';
import { fromEmbeddingsTable, toEmbeddingsTable } from './arrow-table.js';
import { readWordVectors, type ReadVectorsOptions } from './read-vectors.js';
import { vocabularyWords } from './vocabulary.js';
import type { WordVectors } from './word-vectors.js';

/** Schema metadata key holding what the cached vectors were read from. */
export const CACHE_KEY_META = 'seqlearn.glove.cacheKey';

/** Writes the vectors as an Arrow IPC embeddings file (atomically: a temporary file, then a rename). */
export async function writeVectorsCache(path: string, vectors: WordVectors, metadata: Record<string, string> = {}): Promise<void> {
  await writeTable(path, toEmbeddingsTable(vectors, metadata));
}

/**
 * Reads vectors back from an Arrow IPC embeddings file; the float data and the words'
 * bytes are used in place. The file is read with one synchronous call: the promise API
 * reads in 512 KiB pieces, one thread-pool round trip each, which on a busy machine
 * took twice as long for the 40 MB of GloVe 100d.
 */
export async function readVectorsCache(path: string): Promise<WordVectors> {
  return fromEmbeddingsTable(readTableSync(path, { kind: 'embeddings' }));
}

/**
 * Where parsed vectors are cached by default: the `vectors` folder of the seqlearn cache
 * (`defaultCacheDir()` of `@seqlearn/dataset`: `$SEQLEARN_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/seqlearn`, else `~/.cache/seqlearn`).
 */
export function defaultVectorsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(seqlearnCacheDir(env), 'vectors');
}

/**
 * The vectors cache folder.
 * @deprecated Use `defaultVectorsCacheDir()`; this name goes in the next minor release.
 */
export const defaultCacheDir = defaultVectorsCacheDir;

export interface LoadVectorsOptions extends ReadVectorsOptions {
  /** Where the Arrow cache lives; default `defaultVectorsCacheDir()`. `false` turns caching off. */
  cacheDir?: string | false;
}

export interface LoadedVectors {
  vectors: WordVectors;
  /** True when the vectors came from the Arrow cache rather than from parsing. */
  fromCache: boolean;
  /** The cache file used or written, if any. */
  cachePath: string | undefined;
}

/** What decides the cache file: the source's identity and every option that changes the result. */
async function cacheKey(path: string, options: LoadVectorsOptions): Promise<string> {
  const info = await stat(path);
  const key = {
    path: resolve(path),
    size: info.size,
    mtimeMs: info.mtimeMs,
    format: options.format ?? 'auto',
    dim: options.dim ?? null,
    entry: options.entry ?? null,
    vocabulary: options.vocabulary ? vocabularyWords(options.vocabulary) : null,
  };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

/**
 * Reads word vectors through an Arrow IPC cache: the first call parses the file and
 * writes `<cacheDir>/<name>.<key>.arrow`; later calls with the same file (same size
 * and mtime) and options reload it. Nothing is written when parsing fails.
 */
export async function loadWordVectors(path: string, options: LoadVectorsOptions = {}): Promise<LoadedVectors> {
  if (options.cacheDir === false) return { vectors: await readWordVectors(path, options), fromCache: false, cachePath: undefined };
  const dir = options.cacheDir ?? defaultVectorsCacheDir();
  let key: string;
  try {
    key = await cacheKey(path, options);
  } catch {
    // The source cannot be stat'ed: let the reader raise its own error naming the file.
    return { vectors: await readWordVectors(path, options), fromCache: false, cachePath: undefined };
  }
  const cachePath = join(dir, `${basename(path)}.${key.slice(0, 16)}.arrow`);
  try {
    const table = readTableSync(cachePath, { kind: 'embeddings' });
    if (table.schema.metadata.get(CACHE_KEY_META) === key) return { vectors: fromEmbeddingsTable(table), fromCache: true, cachePath };
  } catch (error) {
    // A missing or damaged cache file is rebuilt below; anything else is a real problem.
    if (!(error instanceof IpcError) && !(error instanceof SchemaError)) throw error;
  }
  const vectors = await readWordVectors(path, options);
  await mkdir(dir, { recursive: true });
  await writeVectorsCache(cachePath, vectors, { [CACHE_KEY_META]: key });
  return { vectors, fromCache: false, cachePath };
}
