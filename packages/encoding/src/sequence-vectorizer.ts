import { Table } from 'apache-arrow';
import { META, vectorsTable } from '@seqlearn/dataset';
import type { CsrMatrix } from './csr.js';
import { densify, tokenizerJsonStatistics, type DenseDocumentFrequencies, type DocumentFrequencies } from './document-frequencies.js';
import { NotFittedError, type KerasTokenizerJson as SharedKerasTokenizerJson, type PartialKerasTokenizerJson } from '@seqlearn/dataset';
import { EncodingArgumentError, describe, tokenIdError } from './errors.js';
import { readSequences, rowEnd, tokenizerJsonOf, rowStart, type FlatSequences, type SequencesInput } from './sequences-input.js';

/** Keras's `texts_to_matrix` / `sequences_to_matrix` modes. */
export type VectorizeMode = 'binary' | 'count' | 'freq' | 'tfidf';
export const VECTORIZE_MODES: readonly VectorizeMode[] = ['binary', 'count', 'freq', 'tfidf'];

/** Ids past this are refused when counting document frequencies without a known `numWords` (the table would not fit in memory). */
const MAX_FIT_ID = 1 << 27;

/** A tokenizer from `@seqlearn/text` (or anything with its state), a Keras tokenizer JSON, or its parsed object. */
export type TokenizerSource =
  | string
  | SharedKerasTokenizerJson
  | PartialKerasTokenizerJson
  | (DocumentFrequencies & { numWords?: number | null; wordIndex?: ReadonlyMap<string, number> | Readonly<Record<string, number>> });

export interface SequenceVectorizerOptions {
  /** Default `'binary'`, as in Keras. */
  mode?: VectorizeMode;
  /** Vector width; ids ≥ numWords are left out. Default: the tokenizer's (`num_words`, else vocabulary size + 1), else the largest fitted id + 1. */
  numWords?: number;
}

function checkMode(mode: unknown, where: string): VectorizeMode {
  if (!VECTORIZE_MODES.includes(mode as VectorizeMode)) {
    throw new EncodingArgumentError(`${where}: unknown mode ${describe(mode)}; expected one of ${VECTORIZE_MODES.join(', ')}`);
  }
  return mode as VectorizeMode;
}

function checkNumWords(numWords: unknown, where: string): number {
  if (typeof numWords !== 'number' || !Number.isSafeInteger(numWords) || numWords < 1 || numWords > 0x7fffffff) {
    throw new EncodingArgumentError(`${where}: numWords must be a positive integer (the vector width), got ${describe(numWords)}`);
  }
  return numWords;
}

function statsFromTokenizer(source: TokenizerSource, where: string): DenseDocumentFrequencies & { numWords: number | undefined } {
  if (typeof source === 'string' || (source !== null && typeof source === 'object' && 'config' in source)) {
    return tokenizerJsonStatistics(source as string | PartialKerasTokenizerJson, where);
  }
  const tokenizer = source as Exclude<TokenizerSource, string | SharedKerasTokenizerJson | PartialKerasTokenizerJson>;
  const dense = densify(tokenizer, where);
  let numWords: number | undefined;
  if (typeof tokenizer.numWords === 'number' && tokenizer.numWords > 0) numWords = tokenizer.numWords;
  else if (tokenizer.wordIndex) {
    const size = tokenizer.wordIndex instanceof Map ? tokenizer.wordIndex.size : Object.keys(tokenizer.wordIndex).length;
    if (size > 0) numWords = size + 1;
  }
  return { ...dense, numWords };
}

/** True for NaN, negative, fractional or ≥ 2^31 ids: none can index a vector. */
function badId(v: number): boolean {
  return !(v >= 0) || (v | 0) !== v;
}

/**
 * Turns token sequences into multi-hot (`binary`), `count`, `freq` or `tfidf` vectors with
 * Keras's `sequences_to_matrix` arithmetic:
 * - `count` c = occurrences of the id in the sequence, `freq` = c / sequence length,
 * - `tfidf` = (1 + ln c) · ln(1 + documentCount / (1 + documentFrequency(id))).
 *
 * Id 0 is padding: it is never counted and does not add to a sequence's length, so a padded
 * table gives the same vectors as the ragged one it came from. Ids ≥ numWords are left out of
 * the vector but still count towards the length, as in Keras.
 */
export class SequenceVectorizer {
  readonly mode: VectorizeMode;
  private readonly explicitNumWords: number | undefined;
  private tokenizerNumWords: number | undefined;
  private documents = 0;
  private docFreq: Float64Array = new Float64Array(0);
  private seenInRow: Int32Array = new Int32Array(0);
  private maxFittedId = -1;

  constructor(options: SequenceVectorizerOptions = {}) {
    this.mode = checkMode(options.mode ?? 'binary', 'SequenceVectorizer');
    this.explicitNumWords = options.numWords === undefined ? undefined : checkNumWords(options.numWords, 'SequenceVectorizer');
  }

  /** A vectorizer using a fitted tokenizer's document frequencies and width, exactly as its `textsToMatrix` would. */
  static fromTokenizer(tokenizer: TokenizerSource, options: SequenceVectorizerOptions = {}): SequenceVectorizer {
    const vectorizer = new SequenceVectorizer(options);
    const stats = statsFromTokenizer(tokenizer, 'SequenceVectorizer.fromTokenizer');
    vectorizer.documents = stats.documentCount;
    vectorizer.docFreq = stats.docFreq;
    vectorizer.maxFittedId = stats.docFreq.length - 1;
    vectorizer.tokenizerNumWords = stats.numWords;
    return vectorizer;
  }

  /** Documents counted so far (Keras's `document_count`). */
  get documentCount(): number {
    return this.documents;
  }

  /** Documents containing `id` (Keras's `index_docs[id]`). */
  documentFrequency(id: number): number {
    return id >= 0 && id < this.docFreq.length ? this.docFreq[id] : 0;
  }

  /** The vector width `transform(input)` would use (see `numWords` in the options). */
  numWordsFor(input?: SequencesInput): number {
    return this.width(input === undefined ? undefined : tokenizerJsonOf(input));
  }

  private width(tokenizerJson: string | undefined): number {
    const fromTable = (): number | undefined =>
      tokenizerJson === undefined ? undefined : tokenizerJsonStatistics(tokenizerJson, 'sequences table metadata').numWords;
    const numWords =
      this.explicitNumWords ?? this.tokenizerNumWords ?? fromTable() ?? (this.maxFittedId >= 0 ? this.maxFittedId + 1 : undefined);
    if (numWords === undefined) {
      throw new NotFittedError(
        'SequenceVectorizer: the vector width is unknown; pass numWords, build it with fromTokenizer, or fit it on sequences first',
      );
    }
    return numWords;
  }

  /**
   * Counts, for every id, the sequences that contain it (Keras's `fit_on_sequences`). Fitting
   * again adds to the counts, as in Keras.
   */
  fit(input: SequencesInput): this {
    const seqs = readSequences(input, 'SequenceVectorizer.fit');
    const limit = this.explicitNumWords ?? MAX_FIT_ID;
    for (let row = 0; row < seqs.rows; row++) {
      const start = rowStart(seqs, row);
      const end = rowEnd(seqs, row);
      const stamp = this.documents + row + 1;
      for (let k = start; k < end; k++) {
        const id = seqs.values[k];
        if (badId(id)) throw tokenIdError(row, k - start, id);
        // Ids at or past an explicit numWords never reach a vector, so they need no count.
        if (id === 0 || id >= limit) {
          if (id >= limit && this.explicitNumWords === undefined) {
            throw tokenIdError(row, k - start, id, `a token id below ${MAX_FIT_ID} (pass numWords to ignore larger ids)`);
          }
          continue;
        }
        if (id >= this.docFreq.length) this.grow(id + 1);
        if (this.seenInRow[id] !== stamp) {
          this.seenInRow[id] = stamp;
          this.docFreq[id]++;
          if (id > this.maxFittedId) this.maxFittedId = id;
        }
      }
    }
    this.documents += seqs.rows;
    return this;
  }

  /** Dense vectors: a vectors table, `x: FixedSizeList<Float32>[numWords]`, with the input's `label` carried over. */
  transform(input: SequencesInput): Table {
    const seqs = readSequences(input, 'SequenceVectorizer.transform');
    const numWords = this.width(seqs.tokenizerJson);
    const size = seqs.rows * numWords;
    if (size > 0x7fffffff) {
      throw new EncodingArgumentError(
        `SequenceVectorizer.transform: ${seqs.rows} × ${numWords} dense vectors are more values than one Float32Array holds; use transformCsr`,
      );
    }
    const x = new Float32Array(size);
    this.run(seqs, numWords, (row, ids, values, n) => {
      const base = row * numWords;
      for (let k = 0; k < n; k++) x[base + ids[k]] = values[k];
    });
    const description = JSON.stringify({
      by: '@seqlearn/encoding SequenceVectorizer',
      mode: this.mode,
      numWords,
      ...(this.mode === 'tfidf' ? { documentCount: this.documents } : {}),
    });
    const metadata = seqs.tokenizerJson === undefined ? undefined : { [META.tokenizer]: seqs.tokenizerJson };
    return vectorsTable({ x, dim: numWords, label: seqs.label }, { description, metadata });
  }

  /** The same vectors as `transform`, in compressed sparse row form (columns sorted within each row). */
  transformCsr(input: SequencesInput): CsrMatrix {
    const seqs = readSequences(input, 'SequenceVectorizer.transformCsr');
    const numWords = this.width(seqs.tokenizerJson);
    const capacity = seqs.rows === 0 ? 0 : rowEnd(seqs, seqs.rows - 1) - rowStart(seqs, 0);
    let indices = new Int32Array(capacity);
    let data = new Float32Array(capacity);
    const indptr = new Int32Array(seqs.rows + 1);
    let nnz = 0;
    this.run(
      seqs,
      numWords,
      (row, ids, values, n) => {
        for (let k = 0; k < n; k++) {
          indices[nnz + k] = ids[k];
          data[nnz + k] = values[k];
        }
        indptr[row + 1] = nnz + n;
        nnz += n;
      },
      true,
    );
    if (nnz < capacity) {
      indices = indices.slice(0, nnz);
      data = data.slice(0, nnz);
    }
    return { indptr, indices, data, shape: [seqs.rows, numWords] };
  }

  private grow(minLength: number): void {
    const length = Math.max(minLength, this.docFreq.length * 2, 1024);
    const docFreq = new Float64Array(length);
    docFreq.set(this.docFreq);
    const seen = new Int32Array(length);
    seen.set(this.seenInRow.subarray(0, Math.min(this.seenInRow.length, length)));
    this.docFreq = docFreq;
    this.seenInRow = seen;
  }

  private idfTable(numWords: number): Float64Array | undefined {
    if (this.mode !== 'tfidf') return undefined;
    if (!this.documents) {
      throw new NotFittedError(
        "SequenceVectorizer: mode 'tfidf' needs document frequencies; call fit(sequences) or build the vectorizer with fromTokenizer(tokenizer) first",
      );
    }
    const idf = new Float64Array(numWords);
    for (let id = 0; id < numWords; id++) idf[id] = Math.log(1 + this.documents / (1 + this.documentFrequency(id)));
    return idf;
  }

  /**
   * Computes each row's entries and hands them to `emit` as (ids, values, count); with
   * `sorted`, ids come in ascending order. The buffers are reused across rows.
   */
  private run(
    seqs: FlatSequences,
    numWords: number,
    emit: (row: number, ids: Int32Array, values: Float64Array, n: number) => void,
    sorted = false,
  ): void {
    const idf = this.idfTable(numWords);
    const mode = this.mode;
    const counts = new Float64Array(numWords);
    let ids = new Int32Array(64);
    let values = new Float64Array(64);
    for (let row = 0; row < seqs.rows; row++) {
      const start = rowStart(seqs, row);
      const end = rowEnd(seqs, row);
      if (end - start > ids.length) {
        ids = new Int32Array(Math.max(end - start, ids.length * 2));
        values = new Float64Array(ids.length);
      }
      let n = 0;
      let length = 0;
      for (let k = start; k < end; k++) {
        const id = seqs.values[k];
        if (badId(id)) throw tokenIdError(row, k - start, id);
        if (id === 0) continue;
        length++;
        if (id >= numWords) continue;
        if (counts[id] === 0) ids[n++] = id;
        counts[id]++;
      }
      if (sorted && n > 1) ids.subarray(0, n).sort();
      for (let k = 0; k < n; k++) {
        const id = ids[k];
        const c = counts[id];
        counts[id] = 0;
        values[k] =
          mode === 'binary' ? 1 : mode === 'count' ? c : mode === 'freq' ? c / length : (1 + Math.log(c)) * (idf as Float64Array)[id];
      }
      emit(row, ids, values, n);
    }
  }
}

export interface VectorizeOptions extends SequenceVectorizerOptions {
  /**
   * Where tf-idf's document frequencies (and the default width) come from: a tokenizer, its
   * Keras JSON, or `{ documentCount, indexDocs }`. Default: the input table's
   * `seqlearn.tokenizer` metadata, if it has one.
   */
  tokenizer?: TokenizerSource;
}

function vectorizerFor(input: SequencesInput, options: VectorizeOptions): SequenceVectorizer {
  const { tokenizer, ...rest } = options;
  if (tokenizer !== undefined) return SequenceVectorizer.fromTokenizer(tokenizer, rest);
  const json = tokenizerJsonOf(input);
  if (json !== undefined) return SequenceVectorizer.fromTokenizer(json, rest);
  return new SequenceVectorizer(rest);
}

/** One-call dense vectors (see SequenceVectorizer): the book's `vectorize_sequences`, in every Keras mode. */
export function vectorizeSequences(input: SequencesInput, options: VectorizeOptions = {}): Table {
  return vectorizerFor(input, options).transform(input);
}

/** One-call sparse vectors in CSR form (see SequenceVectorizer). */
export function vectorizeSequencesCsr(input: SequencesInput, options: VectorizeOptions = {}): CsrMatrix {
  return vectorizerFor(input, options).transformCsr(input);
}
