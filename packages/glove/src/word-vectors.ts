import { UnknownWordError, VectorsOptionError } from './errors.js';
import { inverseNorms, topKCosine, unitQuery, type Neighbor } from './similarity.js';
import { WordTable } from './word-table.js';

export interface NearestOptions {
  /** Words never returned; a word query is always excluded from its own results. */
  exclude?: Iterable<string>;
}

/**
 * Word vectors in one row-major Float32Array (`size × dim`), the words in row order,
 * and a hash index from word to row over the words' UTF-8 bytes. Similarity searches
 * run over the array itself with norms computed once, never over per-word arrays.
 */
export class WordVectors {
  /** Row-major `size × dim` values; row `i` belongs to `words[i]`. */
  readonly data: Float32Array;
  readonly dim: number;
  /** Where the vectors came from (a path, or a description). */
  readonly source: string;
  private readonly table: WordTable;
  private rowIndex: Map<string, number> | undefined;
  private norms: Float32Array | undefined;

  /** `words` may be strings, or the packed table a reader builds (no string per word until asked). */
  constructor(words: readonly string[] | WordTable, data: Float32Array, dim: number, options: { source?: string } = {}) {
    if (!Number.isInteger(dim) || dim < 0) throw new VectorsOptionError('dim', `dim must be a non-negative integer, got ${dim}`);
    const table = words instanceof WordTable ? words : tableOf(words);
    if (data.length !== table.size * dim) {
      throw new VectorsOptionError('data', `${table.size} words of ${dim} values need ${table.size * dim} floats, got ${data.length}`);
    }
    this.table = table;
    this.data = data;
    this.dim = dim;
    this.source = options.source ?? 'memory';
  }

  get size(): number {
    return this.table.size;
  }

  /** The words in row order (decoded from UTF-8 on first use). */
  get words(): readonly string[] {
    return this.table.words();
  }

  /** The words as UTF-8 bytes and offsets (Arrow's Utf8 layout), without decoding them. */
  get wordsUtf8(): { bytes: Uint8Array; offsets: Int32Array } {
    return this.table.utf8;
  }

  /** A word -> row Map, built on first use; `rowOf` looks words up without it. */
  get index(): ReadonlyMap<string, number> {
    if (this.rowIndex === undefined) {
      const index = new Map<string, number>();
      this.words.forEach((word, row) => {
        if (!index.has(word)) index.set(word, row);
      });
      this.rowIndex = index;
    }
    return this.rowIndex;
  }

  has(word: string): boolean {
    return this.table.rowOf(word) >= 0;
  }

  /** The word's row, or -1. */
  rowOf(word: string): number {
    return this.table.rowOf(word);
  }

  /** A view (not a copy) of the word's vector, or undefined. */
  vector(word: string): Float32Array | undefined {
    const row = this.table.rowOf(word);
    return row < 0 ? undefined : this.data.subarray(row * this.dim, (row + 1) * this.dim);
  }

  private requireRow(word: string): number {
    const row = this.table.rowOf(word);
    if (row < 0) throw new UnknownWordError(word);
    return row;
  }

  private inverseNorms(): Float32Array {
    this.norms ??= inverseNorms(this.data, this.dim);
    return this.norms;
  }

  /** Cosine similarity of two words. */
  similarity(a: string, b: string): number {
    const ra = this.requireRow(a) * this.dim;
    const rb = this.requireRow(b) * this.dim;
    const norms = this.inverseNorms();
    let dot = 0;
    for (let j = 0; j < this.dim; j++) dot += this.data[ra + j] * this.data[rb + j];
    return dot * norms[ra / this.dim] * norms[rb / this.dim];
  }

  /** The `k` words most cosine-similar to a word or to a vector, most similar first. */
  nearest(query: string | ArrayLike<number>, k = 10, options: NearestOptions = {}): Neighbor[] {
    const exclude = new Set<number>();
    let vector: ArrayLike<number>;
    if (typeof query === 'string') {
      const row = this.requireRow(query);
      exclude.add(row);
      vector = this.data.subarray(row * this.dim, (row + 1) * this.dim);
    } else {
      if (query.length !== this.dim)
        throw new VectorsOptionError('query', `the query vector has ${query.length} values, the vectors have ${this.dim}`);
      vector = query;
    }
    for (const word of options.exclude ?? []) {
      const row = this.table.rowOf(word);
      if (row >= 0) exclude.add(row);
    }
    return this.search(unitQuery(vector), k, exclude);
  }

  /**
   * Words closest to `a − b + c` (so `analogy('king', 'man', 'woman')` answers
   * "queen"): the unit vectors are combined as gensim's `most_similar(positive=[a, c],
   * negative=[b])` does (3CosAdd), and the three inputs are left out of the results.
   */
  analogy(a: string, b: string, c: string, k = 1): Neighbor[] {
    const rows = [this.requireRow(a), this.requireRow(b), this.requireRow(c)];
    const signs = [1, -1, 1];
    const norms = this.inverseNorms();
    const combined = new Float64Array(this.dim);
    rows.forEach((row, i) => {
      const scale = signs[i] * norms[row];
      const base = row * this.dim;
      for (let j = 0; j < this.dim; j++) combined[j] += this.data[base + j] * scale;
    });
    return this.search(unitQuery(combined), k, new Set(rows));
  }

  private search(unit: Float64Array, k: number, exclude: ReadonlySet<number>): Neighbor[] {
    if (!Number.isInteger(k) || k < 1) throw new VectorsOptionError('k', `k must be a positive integer, got ${k}`);
    if (this.size === 0) return [];
    const { rows, similarities } = topKCosine(this.data, this.dim, this.inverseNorms(), unit, Math.min(k, this.size), exclude);
    const words = this.words;
    return Array.from(rows, (row, i) => ({ word: words[row], similarity: similarities[i], row }));
  }
}

function tableOf(words: readonly string[]): WordTable {
  const table = new WordTable(words.length);
  words.forEach((word, i) => {
    if (typeof word !== 'string') throw new VectorsOptionError('words', `words[${i}] is ${typeof word}, expected a string`);
    const bytes = Buffer.from(word, 'utf8');
    if (!table.add(bytes, 0, bytes.length).added)
      throw new VectorsOptionError('words', `the word "${word}" appears twice (rows ${table.rowOf(word)} and ${i})`);
  });
  return table;
}
