import type { VocabularyFilter } from './vocabulary.js';
import { WordTable } from './word-table.js';

/**
 * Rows of one growing Float32Array, plus the words (packed UTF-8 with a hash index). The
 * capacity is estimated from the input size up front so the array is allocated once
 * (peak memory ~ the floats themselves); a wrong estimate grows it by a quarter.
 */
export class VectorStore {
  dim = 0;
  rows = 0;
  data = new Float32Array(0);
  private wordTable: WordTable | undefined;
  /** Upper bound on the rows the input can hold (header count, vocabulary size), if known. */
  private rowLimit = Infinity;
  private estimatedRows = 0;

  constructor(readonly filter: VocabularyFilter | undefined) {
    if (filter) this.rowLimit = filter.size;
  }

  setDim(dim: number): void {
    this.dim = dim;
  }

  /** A header's word count: the rows cannot exceed it (unless the file lies, then we grow). */
  limitRows(count: number): void {
    this.rowLimit = Math.min(this.rowLimit, count);
    this.estimatedRows = this.rowLimit;
  }

  /** Rows expected from the input's size and the average line length seen so far. */
  estimateRows(rows: number): void {
    if (this.estimatedRows === 0 || rows > this.estimatedRows) this.estimatedRows = rows;
  }

  get words(): WordTable {
    this.wordTable ??= new WordTable(Math.min(this.rowLimit, Math.max(this.estimatedRows, 1024)));
    return this.wordTable;
  }

  /**
   * The row to write the values of the word `bytes[start, end)` into: a new one, or the
   * word's earlier row, since a later duplicate replaces an earlier one as a Python dict
   * assignment does.
   */
  rowFor(bytes: Uint8Array, start: number, end: number): number {
    const row = this.words.insert(bytes, start, end);
    if (row < 0) return -1 - row;
    if ((row + 1) * this.dim > this.data.length) this.grow(row + 1);
    this.rows = row + 1;
    return row;
  }

  private grow(needed: number): void {
    let capacity = Math.min(this.rowLimit, Math.max(this.estimatedRows, 1024));
    if (capacity < needed) capacity = Math.max(needed, Math.ceil((this.data.length / Math.max(this.dim, 1)) * 1.25), 1024);
    // Uninitialised memory: every row handed out is written in full before it is read, and
    // pages of the unused tail are never touched, so they cost no resident memory.
    const data = new Float32Array(Buffer.allocUnsafeSlow(capacity * this.dim * 4).buffer, 0, capacity * this.dim);
    data.set(this.data.subarray(0, this.rows * this.dim));
    this.data = data;
  }

  /** The filled rows, copied into an exact-size array only if the slack is large. */
  finish(): Float32Array {
    const used = this.rows * this.dim;
    if (used === this.data.length) return this.data;
    if (this.data.length - used > this.data.length / 16) return this.data.slice(0, used);
    return this.data.subarray(0, used);
  }
}
