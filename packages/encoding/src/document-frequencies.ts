import type { PartialKerasTokenizerJson } from '@seqlearn/dataset';
import { EncodingArgumentError, describe } from './errors.js';

/**
 * Document frequencies as Keras's Tokenizer keeps them: `documentCount` texts were seen and
 * `indexDocs` maps a token id to the number of those texts that contain it. A Tokenizer from
 * `@seqlearn/text` has this shape.
 */
export interface DocumentFrequencies {
  documentCount: number;
  indexDocs: ReadonlyMap<number, number> | Readonly<Record<string, number>>;
}

/**
 * A tokenizer as Keras's `tokenizer.to_json()` writes it, as this package reads it (missing fields take Keras's defaults).
 * @deprecated Import `PartialKerasTokenizerJson` (or `KerasTokenizerJson`) from `@seqlearn/dataset`; this alias goes in the next minor release.
 */
export type KerasTokenizerJson = PartialKerasTokenizerJson;

/** Document frequencies densely by token id, plus the dimension a Keras tokenizer implies. */
export interface DenseDocumentFrequencies {
  documentCount: number;
  /** `docFreq[id]`; ids past the end occur in no document. */
  docFreq: Float64Array;
}

function checkCountValue(value: unknown, what: string, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new EncodingArgumentError(`${where}: ${what} must be a non-negative integer, got ${describe(value)}`);
  }
  return value;
}

export function densify(frequencies: DocumentFrequencies, where: string): DenseDocumentFrequencies {
  if (frequencies === null || typeof frequencies !== 'object') {
    throw new EncodingArgumentError(`${where}: expected { documentCount, indexDocs }, got ${describe(frequencies)}`);
  }
  const documentCount = checkCountValue(frequencies.documentCount, 'documentCount', where);
  const source = frequencies.indexDocs;
  if (source === null || typeof source !== 'object') {
    throw new EncodingArgumentError(`${where}: indexDocs must be a Map or an object of id → document count, got ${describe(source)}`);
  }
  const entries: [number, number][] = [];
  const pairs: Iterable<[unknown, unknown]> = source instanceof Map ? source.entries() : Object.entries(source);
  for (const [key, docs] of pairs) {
    const id = typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : key;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0 || id > 0x7fffffff) {
      throw new EncodingArgumentError(`${where}: indexDocs has key ${describe(key)}; expected a non-negative integer token id`);
    }
    entries.push([id, checkCountValue(docs, `indexDocs[${id}]`, where)]);
  }
  const size = entries.reduce((max, [id]) => Math.max(max, id + 1), 0);
  const docFreq = new Float64Array(size);
  for (const [id, docs] of entries) docFreq[id] = docs;
  return { documentCount, docFreq };
}

function parseInner(value: unknown, field: string, where: string): Record<string, unknown> {
  if (typeof value !== 'string')
    throw new EncodingArgumentError(`${where}: tokenizer JSON config.${field} must be a JSON string, got ${describe(value)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (cause) {
    throw new EncodingArgumentError(`${where}: tokenizer JSON config.${field} is not valid JSON: ${(cause as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EncodingArgumentError(`${where}: tokenizer JSON config.${field} must encode an object, got ${describe(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Reads what vectorizing needs from a Keras tokenizer JSON: the document frequencies and the
 * width Keras's `sequences_to_matrix` would use (`num_words`, or `len(word_index) + 1` without it).
 */
export function tokenizerJsonStatistics(
  json: string | PartialKerasTokenizerJson,
  where: string,
): DenseDocumentFrequencies & { numWords: number | undefined } {
  let root: unknown = json;
  if (typeof json === 'string') {
    try {
      root = JSON.parse(json);
    } catch (cause) {
      throw new EncodingArgumentError(`${where}: tokenizer JSON is not valid JSON: ${(cause as Error).message}`);
    }
  }
  const config = (root as { config?: unknown } | null)?.config;
  if (config === null || typeof config !== 'object') {
    throw new EncodingArgumentError(
      `${where}: tokenizer JSON must be { "class_name": "Tokenizer", "config": { ... } } as Keras's to_json() writes it`,
    );
  }
  const c = config as PartialKerasTokenizerJson['config'];
  const indexDocs = parseInner(c.index_docs ?? '{}', 'index_docs', where) as Record<string, number>;
  const dense = densify({ documentCount: c.document_count ?? 0, indexDocs }, `${where}: tokenizer JSON`);
  let numWords: number | undefined;
  if (c.num_words !== null && c.num_words !== undefined && c.num_words !== 0) {
    numWords = checkCountValue(c.num_words, 'config.num_words', where);
  } else if (c.word_index !== undefined) {
    const size = Object.keys(parseInner(c.word_index, 'word_index', where)).length;
    if (size > 0) numWords = size + 1;
  }
  return { ...dense, numWords };
}
