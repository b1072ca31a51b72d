import { parseDecimalRow } from './decimal.js';
import { VectorsFormatError, type VectorsLocation } from './errors.js';
import type { VectorStore } from './vector-store.js';

/** `'auto'` takes a first line of exactly two integers as the word2vec / fastText header. */
export type HeaderMode = 'auto' | 'present' | 'absent';

export interface TextParserOptions {
  header: HeaderMode;
  /** Values a line must hold; otherwise the header or the first line decides. */
  dim?: number;
  /** Uncompressed size of the input, if known: sizes the float array up front. */
  totalBytes?: number;
}

/** Space, tab, CR, vertical tab and form feed separate tokens, as ASCII `str.split()` does. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Pushes chunks of a text vectors file (GloVe: `word v1 … vN`; word2vec text and
 * fastText `.vec`: the same after a `count dim` header) into a VectorStore. Values are
 * parsed from the bytes in place; a line split across chunks is joined once.
 */
export class TextVectorsParser {
  /** Lines seen so far, blank ones included (1-based numbers in errors). */
  lines = 0;
  /** Non-blank lines after the header. */
  dataLines = 0;
  /** Word count announced by the header, if there was one. */
  declaredCount: number | undefined;
  private carry: Buffer | undefined;
  private headerChecked: boolean;
  private estimated = false;

  constructor(
    private readonly store: VectorStore,
    private readonly location: VectorsLocation,
    private readonly options: TextParserOptions,
  ) {
    this.headerChecked = options.header === 'absent';
    if (options.dim !== undefined) store.setDim(options.dim);
  }

  push(chunk: Buffer): void {
    if (!this.estimated) this.estimate(chunk);
    let position = 0;
    if (this.carry !== undefined) {
      const newline = chunk.indexOf(10);
      if (newline < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const line = Buffer.concat([this.carry, chunk.subarray(0, newline)]);
      this.carry = undefined;
      this.parseLine(line, 0, line.length);
      position = newline + 1;
    }
    for (;;) {
      const newline = chunk.indexOf(10, position);
      if (newline < 0) break;
      this.parseLine(chunk, position, newline);
      position = newline + 1;
    }
    if (position < chunk.length) this.carry = Buffer.from(chunk.subarray(position));
  }

  end(): void {
    if (this.carry !== undefined) {
      const line = this.carry;
      this.carry = undefined;
      this.parseLine(line, 0, line.length);
    }
  }

  /** Sizes the store from the first chunk's average line length (a header's count wins). */
  private estimate(chunk: Buffer): void {
    this.estimated = true;
    const total = this.options.totalBytes;
    if (total === undefined || total <= 0) return;
    let newlines = 0;
    for (let p = chunk.indexOf(10); p >= 0; p = chunk.indexOf(10, p + 1)) newlines++;
    if (newlines === 0) return;
    this.store.estimateRows(Math.ceil((total / (chunk.length / newlines)) * 1.03) + 16);
  }

  private fail(message: string, column?: number): never {
    throw new VectorsFormatError({ ...this.location, line: this.lines, column }, message);
  }

  private parseLine(bytes: Buffer, start: number, end: number): void {
    this.lines++;
    while (end > start && isSpace(bytes[end - 1])) end--;
    while (start < end && isSpace(bytes[start])) start++;
    if (start === end) return;
    if (!this.headerChecked) {
      this.headerChecked = true;
      if (this.parseHeader(bytes, start, end)) return;
    }
    this.dataLines++;
    let wordEnd = start;
    while (wordEnd < end && !isSpace(bytes[wordEnd])) wordEnd++;
    const word = (): string => bytes.toString('utf8', start, wordEnd);
    const store = this.store;
    // Only a vocabulary filter needs the word as a string; otherwise it stays bytes.
    if (store.filter !== undefined && !store.filter.has(word())) return;
    if (store.dim === 0) {
      const count = countTokens(bytes, wordEnd, end);
      if (count === 0) this.fail(`the word "${word()}" has no values`);
      store.setDim(count);
    }
    const dim = store.dim;
    const row = store.rowFor(bytes, start, wordEnd);
    const n = parseDecimalRow(bytes, wordEnd, end, store.data, row * dim, dim);
    if (n < 0) this.reportBadNumber(bytes, wordEnd, end, -1 - n, word());
    if (n !== dim) this.fail(`expected ${dim} values after the word "${word()}", found ${n}`);
  }

  private reportBadNumber(bytes: Buffer, start: number, end: number, index: number, word: string): never {
    let p = start;
    for (let k = 0; ; k++) {
      while (p < end && isSpace(bytes[p])) p++;
      const tokenStart = p;
      while (p < end && !isSpace(bytes[p])) p++;
      if (k === index) this.fail(`"${bytes.toString('utf8', tokenStart, p)}" is not a number (word "${word}")`, index + 1);
    }
  }

  /** True if the line is a `count dim` header (and records it). */
  private parseHeader(bytes: Buffer, start: number, end: number): boolean {
    const fields = bytes.toString('utf8', start, end).split(/[ \t]+/);
    const looksLikeHeader = fields.length === 2 && fields.every((f) => /^\d+$/.test(f));
    if (!looksLikeHeader) {
      if (this.options.header === 'present') {
        this.fail(`expected a "count dim" header line (word2vec / fastText text format), found "${fields.slice(0, 3).join(' ')}${fields.length > 3 ? ' …' : ''}"`);
      }
      return false;
    }
    const count = Number(fields[0]);
    const dim = Number(fields[1]);
    if (dim === 0) this.fail('the header declares 0 dimensions');
    if (this.store.dim !== 0 && this.store.dim !== dim) this.fail(`the header declares ${dim} dimensions, expected ${this.store.dim}`);
    this.store.setDim(dim);
    this.declaredCount = count;
    this.store.limitRows(count);
    return true;
  }
}

function countTokens(bytes: Uint8Array, start: number, end: number): number {
  let count = 0;
  let p = start;
  for (;;) {
    while (p < end && isSpace(bytes[p])) p++;
    if (p >= end) return count;
    count++;
    while (p < end && !isSpace(bytes[p])) p++;
  }
}
