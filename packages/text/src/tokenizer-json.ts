import type { KerasTokenizerConfig as SharedKerasTokenizerConfig, KerasTokenizerJson as SharedKerasTokenizerJson } from '@seqlearn/dataset';
import { TokenizerJsonError } from './errors.js';
import type { RegexpSplitterSpec, NaturalTokenizerName } from './natural-splitters.js';
import { orderedEntries } from './ordered-json.js';

/** The options beyond Keras, saved beside `config` where Python's loader does not look. */
export interface SeqlearnTokenizerExtras {
  splitter?: NaturalTokenizerName | RegexpSplitterSpec | 'custom';
  stemmer?: 'porter';
  ngrams?: number | [number, number];
}

/**
 * The parsed layout of `tokenizer.to_json()`, with this package's extras.
 * @deprecated Import `KerasTokenizerJson` from `@seqlearn/dataset` (as `KerasTokenizerJson<SeqlearnTokenizerExtras>`); this alias goes in the next minor release.
 */
export type KerasTokenizerJson = SharedKerasTokenizerJson<SeqlearnTokenizerExtras>;

/** @deprecated Import `KerasTokenizerConfig` from `@seqlearn/dataset`. */
export type KerasTokenizerConfig = SharedKerasTokenizerConfig;

export interface ParsedTokenizerState {
  numWords: number | null;
  filters: string;
  lower: boolean;
  split: string;
  charLevel: boolean;
  oovToken: string | null;
  documentCount: number;
  wordCounts: Map<string, number>;
  wordDocs: Map<string, number>;
  indexDocs: Map<number, number>;
  indexWord: Map<number, string>;
  wordIndex: Map<string, number>;
  extras: SeqlearnTokenizerExtras;
}

const OPTION_KEYS = ['num_words', 'filters', 'lower', 'split', 'char_level', 'oov_token', 'document_count'];
const STATE_KEYS = ['word_counts', 'word_docs', 'index_docs', 'index_word', 'word_index'];

/** Reads and checks a tokenizer JSON (text or already parsed); every mismatch names its field. */
export function parseTokenizerJson(json: unknown): ParsedTokenizerState {
  let root: unknown = json;
  if (typeof json === 'string') {
    try {
      root = JSON.parse(json);
    } catch (cause) {
      throw new TokenizerJsonError(`not valid JSON: ${(cause as Error).message}`);
    }
  }
  if (!isPlainObject(root))
    throw new TokenizerJsonError(`expected an object {"class_name": "Tokenizer", "config": {...}}, got ${kind(root)}`);
  if (root.class_name !== undefined && root.class_name !== 'Tokenizer') {
    throw new TokenizerJsonError(`expected "Tokenizer", got ${JSON.stringify(root.class_name)}`, 'class_name');
  }
  const config = root.config;
  if (!isPlainObject(config)) throw new TokenizerJsonError(`expected an object, got ${kind(config)}`, 'config');
  for (const key of Object.keys(config)) {
    if (!OPTION_KEYS.includes(key) && !STATE_KEYS.includes(key)) {
      throw new TokenizerJsonError(
        `unknown key (Keras's Tokenizer would reject it too); expected ${[...OPTION_KEYS, ...STATE_KEYS].join(', ')}`,
        `config.${key}`,
      );
    }
  }

  const numWords = config.num_words ?? null;
  if (numWords !== null && !(typeof numWords === 'number' && Number.isInteger(numWords) && numWords >= 0)) {
    throw new TokenizerJsonError(`expected null or an integer >= 0, got ${JSON.stringify(numWords)}`, 'config.num_words');
  }
  const documentCount = config.document_count ?? 0;
  if (!(typeof documentCount === 'number' && Number.isInteger(documentCount) && documentCount >= 0)) {
    throw new TokenizerJsonError(`expected an integer >= 0, got ${JSON.stringify(documentCount)}`, 'config.document_count');
  }
  const oovToken = config.oov_token ?? null;
  if (oovToken !== null && typeof oovToken !== 'string') {
    throw new TokenizerJsonError(`expected null or a string, got ${JSON.stringify(oovToken)}`, 'config.oov_token');
  }

  return {
    numWords,
    filters: optional(config, 'filters', 'string', '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'),
    lower: optional(config, 'lower', 'boolean', true),
    split: optional(config, 'split', 'string', ' '),
    charLevel: optional(config, 'char_level', 'boolean', false),
    oovToken,
    documentCount,
    wordCounts: stringKeyed(config, 'word_counts'),
    wordDocs: stringKeyed(config, 'word_docs'),
    indexDocs: integerKeyed(config, 'index_docs', isCount, 'an integer >= 0'),
    indexWord: integerKeyed(config, 'index_word', (v): v is string => typeof v === 'string', 'a string'),
    wordIndex: stringKeyed(config, 'word_index', true),
    extras: parseExtras(root.seqlearn),
  };
}

function optional<T extends string | boolean>(config: Record<string, unknown>, key: string, type: 'string' | 'boolean', fallback: T): T {
  const value = config[key];
  if (value === undefined) return fallback;
  if (typeof value !== type) throw new TokenizerJsonError(`expected a ${type}, got ${JSON.stringify(value)}`, `config.${key}`);
  return value as T;
}

function stateEntries(config: Record<string, unknown>, key: string): Array<[string, unknown]> {
  const raw = config[key];
  if (typeof raw !== 'string') {
    throw new TokenizerJsonError(`expected a JSON string (Keras stores the dict as json.dumps text), got ${kind(raw)}`, `config.${key}`);
  }
  let entries: Array<[string, unknown]> | undefined;
  try {
    entries = orderedEntries(raw);
  } catch (cause) {
    throw new TokenizerJsonError(`not valid JSON: ${(cause as Error).message}`, `config.${key}`);
  }
  if (entries === undefined) throw new TokenizerJsonError('expected a JSON object', `config.${key}`);
  return entries;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function stringKeyed(config: Record<string, unknown>, key: string, positive = false): Map<string, number> {
  const map = new Map<string, number>();
  for (const [word, value] of stateEntries(config, key)) {
    if (!isCount(value) || (positive && value === 0)) {
      throw new TokenizerJsonError(
        `value of ${JSON.stringify(word)} is ${JSON.stringify(value)}; expected an integer >= ${positive ? 1 : 0}`,
        `config.${key}`,
      );
    }
    map.set(word, value);
  }
  return map;
}

function integerKeyed<V>(config: Record<string, unknown>, key: string, check: (v: unknown) => v is V, expected: string): Map<number, V> {
  const map = new Map<number, V>();
  for (const [rawKey, value] of stateEntries(config, key)) {
    const index = Number(rawKey);
    if (!/^(0|[1-9][0-9]*)$/.test(rawKey) || !Number.isSafeInteger(index)) {
      throw new TokenizerJsonError(`key ${JSON.stringify(rawKey)} is not a non-negative integer index`, `config.${key}`);
    }
    if (!check(value))
      throw new TokenizerJsonError(`value of ${rawKey} is ${JSON.stringify(value)}; expected ${expected}`, `config.${key}`);
    map.set(index, value);
  }
  return map;
}

function parseExtras(extras: unknown): SeqlearnTokenizerExtras {
  if (extras === undefined || extras === null) return {};
  if (!isPlainObject(extras)) throw new TokenizerJsonError(`expected an object, got ${kind(extras)}`, 'seqlearn');
  const out: SeqlearnTokenizerExtras = {};
  const { splitter, stemmer, ngrams } = extras;
  if (splitter !== undefined) {
    const named = typeof splitter === 'string';
    const regexp = isPlainObject(splitter) && splitter.name === 'RegexpTokenizer' && typeof splitter.pattern === 'string';
    if (!named && !regexp)
      throw new TokenizerJsonError('expected a natural tokenizer name or {"name": "RegexpTokenizer", "pattern": ...}', 'seqlearn.splitter');
    out.splitter = splitter as SeqlearnTokenizerExtras['splitter'];
  }
  if (stemmer !== undefined) {
    if (stemmer !== 'porter') throw new TokenizerJsonError(`expected "porter", got ${JSON.stringify(stemmer)}`, 'seqlearn.stemmer');
    out.stemmer = stemmer;
  }
  if (ngrams !== undefined) {
    const ok = typeof ngrams === 'number' || (Array.isArray(ngrams) && ngrams.length === 2 && ngrams.every((n) => typeof n === 'number'));
    if (!ok) throw new TokenizerJsonError(`expected n or [min, max], got ${JSON.stringify(ngrams)}`, 'seqlearn.ngrams');
    out.ngrams = ngrams as SeqlearnTokenizerExtras['ngrams'];
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
