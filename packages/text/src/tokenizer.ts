import { createAnalyzer, type Analyze, type TextInput } from './analyzer.js';
import { DenseMatrix } from './dense-matrix.js';
import { InvalidOptionError, NotFittedError, TextInputError, TokenizerJsonError } from './errors.js';
import { SpanScanner } from './span-scanner.js';
import { VersionedMap } from './versioned-map.js';
import { WordEncoder } from './word-encoder.js';
import { splitterToJson, type SplitFunction, type SplitterSpec } from './natural-splitters.js';
import type { NgramRange } from './ngrams.js';
import { pyJsonDumps } from './python-json.js';
import type { RaggedSequences } from './ragged.js';
import type { StemmerName } from './stemmer.js';
import { describeValue } from './text-to-word-sequence.js';
import { checkTokenId } from './token-ids.js';
import type { KerasTokenizerConfig } from '@seqlearn/dataset';
import { parseTokenizerJson, type SeqlearnTokenizerExtras } from './tokenizer-json.js';
import { Vocabulary } from './vocabulary.js';
import { isTokenCounts, vocabularyOf, type TokenCounts } from './token-counts.js';
import { encodeRagged, textEncoder, type EncodeText, type EncodingTable } from './text-encoding.js';
import { DEFAULT_FILTERS } from './word-splitter.js';

export interface TokenizerOptions {
  /** Keep only words with index < numWords when converting (fitting keeps them all). null or 0: no limit. */
  numWords?: number | null;
  filters?: string;
  lower?: boolean;
  split?: string;
  /** Every character is a token. */
  charLevel?: boolean;
  /** Gets index 1 and stands in for unknown words (and, with numWords, for rare ones). */
  oovToken?: string | null;
  documentCount?: number;

  /** Beyond Keras: a natural tokenizer (or any function) instead of filters + split. */
  splitter?: SplitterSpec;
  /** Beyond Keras: stem each word (after lower-casing and splitting). */
  stemmer?: StemmerName;
  /** Beyond Keras: n-grams of words (joined by ' ') or, with charLevel, of characters (joined by ''). */
  ngrams?: NgramRange;
}

export type MatrixMode = 'binary' | 'count' | 'freq' | 'tfidf';

export interface FitProgressOptions {
  /** Called with the number of texts read so far, every `progressEvery` texts and at the end. */
  onProgress?: (texts: number) => void;
  /** Default 1000. */
  progressEvery?: number;
}

const MODES: readonly string[] = ['binary', 'count', 'freq', 'tfidf'];

/**
 * Keras's `Tokenizer` (keras_preprocessing 1.1), with the same options, methods, state and
 * JSON, and the same results to the last index. The state maps are JavaScript Maps that keep
 * Keras's dict order.
 */
export class Tokenizer {
  readonly filters: string;
  readonly lower: boolean;
  readonly split: string;
  readonly charLevel: boolean;
  readonly oovToken: string | null;
  readonly splitter: SplitterSpec | undefined;
  readonly stemmer: StemmerName | undefined;
  readonly ngrams: NgramRange | undefined;
  documentCount: number;

  private _numWords: number | null = null;
  // The truth after fitting: words, counts and doc counts by dense id, in first-seen order.
  private vocab = new Vocabulary();
  // Keras's state maps are built from the vocabulary when first asked for (and kept until the
  // next fit): fit + texts_to_sequences never needs them, and for a large vocabulary they cost
  // more than the fit's own hash table. Keras rebuilds the index at the end of every fit; doing
  // it on first use also makes many small fitOnTexts calls (streaming in chunks) cost one sort.
  private ranking: { index: Int32Array; ranked: number[]; oovIndex: number | undefined } | undefined;
  private views: {
    wordCounts?: Map<string, number>;
    wordDocs?: Map<string, number>;
    wordIndex?: Map<string, number>;
    indexWord?: Map<number, string>;
  } = {};
  // index_docs is a persistent dict in Keras (fit_on_sequences adds to it); each fit overwrites
  // the entries of its words, deferred by `indexDocsPending`.
  private _indexDocs = new Map<number, number>();
  private indexDocsPending = false;
  private readonly analyze: Analyze;
  /** Set when texts take Keras's plain path (filters + a one-unit split): words are then never sliced out to be looked up. */
  private readonly scanner: SpanScanner | undefined;
  private encoderCache: { key: string; source: object; version: number; encoder: WordEncoder } | undefined;

  constructor(options: TokenizerOptions = {}) {
    this.numWords = options.numWords ?? null;
    this.filters = checkString('filters', options.filters ?? DEFAULT_FILTERS);
    this.lower = checkBoolean('lower', options.lower ?? true);
    this.split = checkString('split', options.split ?? ' ');
    this.charLevel = checkBoolean('charLevel', options.charLevel ?? false);
    const oov = options.oovToken ?? null;
    if (oov !== null && typeof oov !== 'string')
      throw new InvalidOptionError('oovToken', `oovToken must be a string or null, got ${describeValue(oov)}`);
    this.oovToken = oov;
    const documentCount = options.documentCount ?? 0;
    if (!Number.isInteger(documentCount) || documentCount < 0) {
      throw new InvalidOptionError('documentCount', `documentCount must be an integer >= 0, got ${String(documentCount)}`);
    }
    this.documentCount = documentCount;
    this.splitter = options.splitter;
    this.stemmer = options.stemmer;
    this.ngrams = options.ngrams;
    this.analyze = createAnalyzer({
      filters: this.filters,
      lower: this.lower,
      split: this.split,
      charLevel: this.charLevel,
      splitter: this.splitter,
      stemmer: this.stemmer,
      ngrams: this.ngrams,
    });
    const plain = !this.charLevel && this.splitter === undefined && this.stemmer === undefined && isUnigrams(this.ngrams);
    this.scanner = plain ? SpanScanner.compile(this.filters, this.split) : undefined;
  }

  /** null or 0 means no limit (Keras tests `if num_words`). */
  get numWords(): number | null {
    return this._numWords;
  }

  set numWords(value: number | null) {
    if (value !== null && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) {
      throw new InvalidOptionError('numWords', `numWords must be null or an integer >= 0, got ${describeValue(value)}`);
    }
    this._numWords = value;
  }

  /** Occurrences of each word, in first-seen order. Assigning replaces the counts. */
  get wordCounts(): Map<string, number> {
    return (this.views.wordCounts ??= new Map(this.vocab.words.map((w, id) => [w, this.vocab.counts[id]!])));
  }

  set wordCounts(map: Map<string, number>) {
    this.replaceVocabulary(map, this.wordDocs);
  }

  /** Number of texts each word occurs in. Assigning replaces them. */
  get wordDocs(): Map<string, number> {
    return (this.views.wordDocs ??= new Map(this.vocab.words.map((w, id) => [w, this.vocab.docs[id]!])));
  }

  set wordDocs(map: Map<string, number>) {
    this.replaceVocabulary(this.wordCounts, map);
  }

  /** Word to index (1-based, by count). Edits in place are seen by later conversions. */
  get wordIndex(): Map<string, number> {
    if (this.views.wordIndex === undefined) {
      const { index, ranked } = this.rank();
      const map = new VersionedMap<string, number>();
      // Map.set on an existing key keeps its position and takes the new value, which is what
      // dict(zip(...)) does when the oov token also occurs in the texts.
      if (this.oovToken !== null) map.set(this.oovToken, 1);
      const words = this.vocab.words;
      for (const id of ranked) map.set(words[id]!, index[id]!);
      this.views.wordIndex = map;
    }
    return this.views.wordIndex;
  }

  set wordIndex(map: Map<string, number>) {
    this.views.wordIndex = map;
  }

  get indexWord(): Map<number, string> {
    if (this.views.indexWord === undefined) {
      const map = new Map<number, string>();
      for (const [word, i] of this.wordIndex) map.set(i, word);
      this.views.indexWord = map;
    }
    return this.views.indexWord;
  }

  set indexWord(map: Map<number, string>) {
    this.views.indexWord = map;
  }

  /** Index to number of texts it occurs in (what tf-idf divides by). */
  get indexDocs(): Map<number, number> {
    if (this.indexDocsPending) {
      this.indexDocsPending = false;
      const { index } = this.rank();
      const docs = this.vocab.docs;
      for (let id = 0; id < index.length; id++) this._indexDocs.set(index[id]!, docs[id]!);
    }
    return this._indexDocs;
  }

  set indexDocs(map: Map<number, number>) {
    this.indexDocsPending = false;
    this._indexDocs = map;
  }

  /** Counts words in `texts` (strings, or arrays of already split tokens) and rebuilds the index. */
  fitOnTexts(texts: Iterable<TextInput>): void {
    const counter = new Vocabulary();
    let row = 0;
    for (const text of iterate(texts, 'fitOnTexts')) this.countText(counter, text, row++);
    this.commit(counter);
  }

  /**
   * fitOnTexts for streams: texts arrive one by one (e.g. from a tarball) and only the
   * vocabulary is kept. State changes only once the whole stream has been read.
   */
  async fitOnTextsAsync(texts: AsyncIterable<TextInput> | Iterable<TextInput>, options: FitProgressOptions = {}): Promise<void> {
    const { onProgress, progressEvery = 1000 } = options;
    const counter = new Vocabulary();
    let row = 0;
    for await (const text of iterateAsync(texts, 'fitOnTextsAsync')) {
      this.countText(counter, text, row++);
      if (onProgress !== undefined && row % progressEvery === 0) onProgress(row);
    }
    this.commit(counter);
    onProgress?.(row);
  }

  /** Keras's fit_on_sequences: counts documents per index (used by tf-idf). */
  fitOnSequences(sequences: Iterable<ArrayLike<number>>): void {
    const indexDocs = this.indexDocs;
    const perDocument = new Set<number>();
    const additions = new Map<number, number>();
    let row = 0;
    for (const seq of iterate(sequences, 'fitOnSequences')) {
      perDocument.clear();
      for (let j = 0; j < seq.length; j++) perDocument.add(checkTokenId(seq[j], row, j));
      for (const i of perDocument) additions.set(i, (additions.get(i) ?? 0) + 1);
      row++;
    }
    for (const [i, n] of additions) indexDocs.set(i, (indexDocs.get(i) ?? 0) + n);
    this.documentCount += row;
  }

  textsToSequences(texts: Iterable<TextInput>): number[][] {
    return Array.from(this.textsToSequencesGenerator(texts));
  }

  *textsToSequencesGenerator(texts: Iterable<TextInput>): Generator<number[]> {
    const encode = this.encoder();
    let row = 0;
    for (const text of iterate(texts, 'textsToSequences')) yield encode(text, row++);
  }

  /** Streams sequences out as texts stream in; nothing is kept. */
  async *textsToSequencesAsync(texts: AsyncIterable<TextInput> | Iterable<TextInput>): AsyncGenerator<number[]> {
    const encode = this.encoder();
    let row = 0;
    for await (const text of iterateAsync(texts, 'textsToSequencesAsync')) yield encode(text, row++);
  }

  /** textsToSequences into one flat Int32Array plus offsets (Arrow's List layout), without per-row arrays. */
  textsToRaggedSequences(texts: Iterable<TextInput>): RaggedSequences {
    return encodeRagged(this.wordEncoder(), this.analyze, this.scanner, this.lower, iterate(texts, 'textsToRaggedSequences'));
  }

  /**
   * Counts `texts` as fitOnTexts would, without changing the tokenizer. Chunks counted apart
   * (on other threads, or shard by shard) and given to fitOnCounts in text order fit exactly
   * as one fitOnTexts over all of them. `firstRow` numbers rows in error messages.
   */
  countTexts(texts: Iterable<TextInput>, firstRow = 0): TokenCounts {
    const counter = new Vocabulary();
    this.countTextsInto(counter, texts, firstRow);
    return counter;
  }

  /**
   * Adds the counts of `texts`, which follow the texts `counts` holds, to `counts` (a result
   * of countTexts): one count over consecutive batches, e.g. a worker's run of chunks.
   */
  countTextsInto(counts: TokenCounts, texts: Iterable<TextInput>, firstRow = 0): void {
    if (!(counts instanceof Vocabulary)) throw new InvalidOptionError('counts', 'countTextsInto adds to counts that countTexts returned');
    let row = firstRow;
    for (const text of iterate(texts, 'countTexts')) this.countText(counts, text, row++);
  }

  /**
   * Adds partial counts (countTexts of consecutive chunks, in chunk order, or their merge) as
   * one fit. The first part may become the tokenizer's own state: do not use the parts afterwards.
   */
  fitOnCounts(parts: TokenCounts | Iterable<TokenCounts>): void {
    this.commit(vocabularyOf(isTokenCounts(parts) ? [parts] : parts));
  }

  /** The lookup textsToSequences uses now (index, numWords, oov token), for another thread to convert with. */
  encodingTable(): EncodingTable {
    return this.wordEncoder().toEncodingTable();
  }

  /**
   * textsToRaggedSequences with a table exported by `encodingTable()` of a tokenizer with the
   * same options (lower, filters, split, splitter, ...), e.g. on the main thread. `firstRow`
   * numbers rows in error messages.
   */
  textsToRaggedSequencesWith(table: EncodingTable, texts: Iterable<TextInput>, firstRow = 0): RaggedSequences {
    const encoder = WordEncoder.fromEncodingTable(table);
    return encodeRagged(encoder, this.analyze, this.scanner, this.lower, iterate(texts, 'textsToRaggedSequences'), firstRow);
  }

  sequencesToTexts(sequences: Iterable<ArrayLike<number>>): string[] {
    return Array.from(this.sequencesToTextsGenerator(sequences));
  }

  *sequencesToTextsGenerator(sequences: Iterable<ArrayLike<number>>): Generator<string> {
    const numWords = this._numWords;
    const indexWord = this.indexWord;
    const oovIndex = this.oovToken === null ? undefined : this.wordIndex.get(this.oovToken);
    const oovWord = oovIndex === undefined ? undefined : indexWord.get(oovIndex);
    let row = 0;
    for (const seq of iterate(sequences, 'sequencesToTexts')) {
      const words: string[] = [];
      for (let j = 0; j < seq.length; j++) {
        const num = checkTokenId(seq[j], row, j);
        const word = indexWord.get(num);
        if (word !== undefined) {
          if (numWords && num >= numWords) {
            if (oovWord !== undefined) words.push(oovWord);
          } else words.push(word);
        } else if (oovWord !== undefined) words.push(oovWord);
      }
      row++;
      yield words.join(' ');
    }
  }

  textsToMatrix(texts: Iterable<TextInput>, mode: MatrixMode = 'binary'): DenseMatrix<Float64Array> {
    checkMode(mode);
    return this.sequencesToMatrix(this.textsToSequences(texts), mode);
  }

  /**
   * One row per sequence, `numWords` columns (or vocabulary size + 1). tf-idf is Keras's:
   * (1 + ln count) * ln(1 + documentCount / (1 + indexDocs[j])).
   */
  sequencesToMatrix(sequences: Iterable<ArrayLike<number>>, mode: MatrixMode = 'binary'): DenseMatrix<Float64Array> {
    checkMode(mode);
    let columns: number;
    if (this._numWords) columns = this._numWords;
    else if (this.wordIndex.size > 0) columns = this.wordIndex.size + 1;
    else throw new NotFittedError('sequencesToMatrix needs numWords or a fitted tokenizer (wordIndex is empty)');
    if (mode === 'tfidf' && !this.documentCount) {
      throw new NotFittedError('tfidf mode needs document frequencies: fit the tokenizer (fitOnTexts or fitOnSequences) first');
    }
    const rows = Array.isArray(sequences) ? (sequences as ArrayLike<number>[]) : Array.from(iterate(sequences, 'sequencesToMatrix'));
    const values = new Float64Array(rows.length * columns);
    const indexDocs = mode === 'tfidf' ? this.indexDocs : undefined;
    const touched: number[] = [];
    for (let r = 0; r < rows.length; r++) {
      const seq = rows[r]!;
      if (seq === null || typeof seq !== 'object' || typeof seq.length !== 'number') {
        throw new InvalidOptionError('sequences', `sequence ${r} is ${describeValue(seq)}; expected an array of token ids`);
      }
      if (seq.length === 0) continue;
      const offset = r * columns;
      touched.length = 0;
      for (let k = 0; k < seq.length; k++) {
        const j = checkTokenId(seq[k], r, k);
        if (j >= columns) continue;
        if (values[offset + j] === 0) touched.push(j);
        values[offset + j]! += 1;
      }
      for (const j of touched) {
        const c = values[offset + j]!;
        switch (mode) {
          case 'count':
            break;
          case 'freq':
            values[offset + j] = c / seq.length;
            break;
          case 'binary':
            values[offset + j] = 1;
            break;
          case 'tfidf': {
            const tf = 1 + Math.log(c);
            const idf = Math.log(1 + this.documentCount / (1 + (indexDocs!.get(j) ?? 0)));
            values[offset + j] = tf * idf;
            break;
          }
        }
      }
    }
    return new DenseMatrix(values, rows.length, columns);
  }

  /** Keras's get_config(): options, and the state maps as json.dumps strings. */
  getConfig(): KerasTokenizerConfig {
    return {
      num_words: this._numWords,
      filters: this.filters,
      lower: this.lower,
      split: this.split,
      char_level: this.charLevel,
      oov_token: this.oovToken,
      document_count: this.documentCount,
      word_counts: pyJsonDumps(this.wordCounts),
      word_docs: pyJsonDumps(this.wordDocs),
      index_docs: pyJsonDumps(stringKeys(this.indexDocs)),
      index_word: pyJsonDumps(stringKeys(this.indexWord)),
      word_index: pyJsonDumps(this.wordIndex),
    };
  }

  /**
   * The JSON text of Keras's `tokenizer.to_json()`, byte for byte as Python writes it, so
   * `keras_preprocessing.text.tokenizer_from_json` loads it. Options beyond Keras go under a
   * top-level "seqlearn" key that Python ignores. Returns a string, like Keras.
   */
  toJSON(): string {
    const extras = this.extras();
    const root = new Map<string, Parameters<typeof pyJsonDumps>[0]>([
      ['class_name', 'Tokenizer'],
      ['config', new Map(Object.entries(this.getConfig()))],
    ]);
    if (extras !== undefined) root.set('seqlearn', extras as Record<string, Parameters<typeof pyJsonDumps>[0]>);
    return pyJsonDumps(root);
  }

  /**
   * Loads Keras's `to_json()` layout (text or parsed). A tokenizer saved with a function
   * splitter needs that function again in `options.splitter`.
   */
  static fromJSON(json: string | object, options: { splitter?: SplitFunction } = {}): Tokenizer {
    const state = parseTokenizerJson(json);
    let splitter: SplitterSpec | undefined = state.extras.splitter === 'custom' ? undefined : state.extras.splitter;
    if (state.extras.splitter === 'custom') {
      if (options.splitter === undefined) {
        throw new TokenizerJsonError(
          'this tokenizer was saved with a custom splitter function; pass it again as fromJSON(json, { splitter })',
          'seqlearn.splitter',
        );
      }
    }
    if (options.splitter !== undefined) splitter = options.splitter;
    const tokenizer = new Tokenizer({
      numWords: state.numWords,
      filters: state.filters,
      lower: state.lower,
      split: state.split,
      charLevel: state.charLevel,
      oovToken: state.oovToken,
      documentCount: state.documentCount,
      splitter,
      stemmer: state.extras.stemmer,
      ngrams: state.extras.ngrams,
    });
    tokenizer.replaceVocabulary(state.wordCounts, state.wordDocs);
    tokenizer._indexDocs = state.indexDocs;
    tokenizer.views.wordIndex = VersionedMap.from(state.wordIndex);
    tokenizer.views.indexWord = state.indexWord;
    return tokenizer;
  }

  private extras(): SeqlearnTokenizerExtras | undefined {
    const extras: SeqlearnTokenizerExtras = {};
    if (this.splitter !== undefined) extras.splitter = splitterToJson(this.splitter);
    if (this.stemmer !== undefined) extras.stemmer = this.stemmer;
    if (this.ngrams !== undefined) extras.ngrams = typeof this.ngrams === 'number' ? this.ngrams : [this.ngrams[0], this.ngrams[1]];
    return Object.keys(extras).length > 0 ? extras : undefined;
  }

  private countText(counter: Vocabulary, text: TextInput, row: number): void {
    if (this.scanner !== undefined && typeof text === 'string') {
      const lowered = this.lower ? text.toLowerCase() : text;
      counter.addScanned(lowered, this.scanner, this.scanner.scan(lowered));
    } else counter.addDocument(this.analyze(text, row));
  }

  /** Adds one fit's counts; everything derived from the counts is rebuilt on next use. */
  private commit(counter: Vocabulary): void {
    // A pending index_docs update of an earlier fit needs no replay: this fit's index covers every
    // index the earlier one assigned, and Keras overwrites them all.
    if (this.vocab.size === 0) this.vocab = counter;
    else this.vocab.absorb(counter);
    this.documentCount += counter.documents;
    this.ranking = undefined;
    this.views = {};
    this.indexDocsPending = true;
  }

  private replaceVocabulary(wordCounts: Map<string, number>, wordDocs: Map<string, number>): void {
    const vocab = new Vocabulary();
    for (const [word, count] of wordCounts) vocab.addTotals(word, count, wordDocs.get(word) ?? 0);
    this.vocab = vocab;
    this.ranking = undefined;
    this.views = { ...this.views, wordCounts, wordDocs };
  }

  /** Keras's index: the oov token at 1, then words by count; `index[id]` for vocabulary id `id`. */
  private rank(): { index: Int32Array; ranked: number[]; oovIndex: number | undefined } {
    if (this.ranking === undefined) {
      const ranked = this.vocab.ranked();
      const base = this.oovToken === null ? 1 : 2;
      const index = new Int32Array(ranked.length);
      for (let p = 0; p < ranked.length; p++) index[ranked[p]!] = base + p;
      let oovIndex: number | undefined;
      if (this.oovToken !== null) {
        const id = this.vocab.idOf(this.oovToken);
        oovIndex = id < 0 ? 1 : index[id];
      }
      this.ranking = { index, ranked, oovIndex };
    }
    return this.ranking;
  }

  /** Text to ids with the current index; Keras's texts_to_sequences_generator loop body. */
  private encoder(): EncodeText {
    return textEncoder(this.wordEncoder(), this.analyze, this.scanner, this.lower);
  }

  /**
   * The lookup table for the current index and numWords: the vocabulary's own hash table,
   * unless the caller has seen (and so may have edited) or set the wordIndex map.
   */
  private wordEncoder(): WordEncoder {
    const map = this.views.wordIndex;
    if (map === undefined) {
      const ranking = this.rank();
      const key = `${this._numWords}`;
      const cached = this.encoderCache;
      if (cached !== undefined && cached.source === ranking && cached.key === key) return cached.encoder;
      const encoder = WordEncoder.fromTable(this.vocab.table, ranking.index, this._numWords, ranking.oovIndex);
      this.encoderCache = { key, source: ranking, version: 0, encoder };
      return encoder;
    }
    const oovIndex = this.oovToken === null ? undefined : map.get(this.oovToken);
    const key = `${this._numWords}:${oovIndex}`;
    const version = map instanceof VersionedMap ? map.version : -1;
    const cached = this.encoderCache;
    if (cached !== undefined && version >= 0 && cached.source === map && cached.version === version && cached.key === key)
      return cached.encoder;
    const encoder = WordEncoder.fromMap(map, this._numWords, oovIndex);
    this.encoderCache = { key, source: map, version, encoder };
    return encoder;
  }
}

function isUnigrams(ngrams: NgramRange | undefined): boolean {
  return ngrams === undefined || ngrams === 1 || (typeof ngrams !== 'number' && ngrams[0] === 1 && ngrams[1] === 1);
}

function checkMode(mode: string): void {
  if (!MODES.includes(mode)) throw new InvalidOptionError('mode', `unknown mode "${mode}"; expected one of ${MODES.join(', ')}`);
}

function checkString(option: string, value: unknown): string {
  if (typeof value !== 'string') throw new InvalidOptionError(option, `${option} must be a string, got ${describeValue(value)}`);
  return value;
}

function checkBoolean(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidOptionError(option, `${option} must be a boolean, got ${describeValue(value)}`);
  return value;
}

function stringKeys<V>(map: Map<number, V>): Map<string, V> {
  const out = new Map<string, V>();
  for (const [k, v] of map) out.set(String(k), v);
  return out;
}

function iterate<T>(items: Iterable<T>, method: string): Iterable<T> {
  if (typeof items === 'string') {
    throw new TextInputError(`${method} expects an iterable of texts, not a single string (wrap it in an array)`);
  }
  if (items === null || typeof items !== 'object' || typeof (items as Iterable<T>)[Symbol.iterator] !== 'function') {
    throw new TextInputError(`${method} expects an iterable, got ${describeValue(items)}`);
  }
  return items;
}

function iterateAsync<T>(items: AsyncIterable<T> | Iterable<T>, method: string): AsyncIterable<T> | Iterable<T> {
  if (items !== null && typeof items === 'object' && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') return items;
  return iterate(items as Iterable<T>, method);
}
