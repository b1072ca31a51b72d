import { parseDecimalRow, parseSimpleRow } from './decimal.js';
import { VectorsFormatError, type VectorsLocation } from './errors.js';
import { LineKernel } from './line-kernel.js';
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
  /** The WebAssembly loop, made on first use; null when it is not available. */
  private kernel: LineKernel | null | undefined;

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
      // The joined line keeps its newline: the fast path needs it as a sentinel.
      const line = Buffer.concat([this.carry, chunk.subarray(0, newline + 1)]);
      this.carry = undefined;
      this.parseLine(line, 0, line.length - 1);
      position = newline + 1;
    }
    // The first lines decide the header and the dimension; the rest go in bulk.
    while (this.store.dim === 0 || !this.headerChecked) {
      const newline = chunk.indexOf(10, position);
      if (newline < 0) break;
      this.parseLine(chunk, position, newline);
      position = newline + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= position) {
      this.kernel ??= LineKernel.create() ?? null;
      if (this.kernel !== null) this.parseBulk(this.kernel, chunk, position, last + 1);
      else this.parseLines(chunk, position, last + 1);
      position = last + 1;
    }
    if (position < chunk.length) this.carry = Buffer.from(chunk.subarray(position));
  }

  /** Complete lines `bytes[start, end)` (end just past a newline), one at a time. */
  private parseLines(bytes: Buffer, start: number, end: number): void {
    let position = start;
    while (position < end) {
      const newline = bytes.indexOf(10, position);
      this.parseLine(bytes, position, newline);
      position = newline + 1;
    }
  }

  /**
   * Complete lines `bytes[start, end)` through the WebAssembly loop: lines it parsed get a
   * row and their values copied in runs of consecutive rows; the others (blank, odd spacing,
   * exponents, errors) go through parseLineSlow, in order, so line numbers stay right.
   */
  private parseBulk(kernel: LineKernel, bytes: Buffer, start: number, end: number): void {
    this.bulkBytes = bytes;
    kernel.run(bytes, start, end, this.store.dim, this.takeLines);
    this.bulkBytes = undefined;
  }

  private bulkBytes: Buffer | undefined;
  private readonly takeLines = (base: number, count: number): void => this.takeParsedLines(base, count);

  /** The `count` lines the kernel just read (offsets in its line table are from `base`). */
  private takeParsedLines(base: number, count: number): void {
    const bytes = this.bulkBytes!;
    const kernel = this.kernel!;
    const meta = kernel.meta;
    const values = kernel.values;
    const store = this.store;
    const dim = store.dim;
    const filter = store.filter;
    let slot = 0;
    // A run: parsed lines whose rows follow each other, copied with one call.
    let runSlot = 0;
    let runRow = 0;
    let runLength = 0;
    let parsedLines = 0;
    const firstLine = this.lines;
    for (let i = 0; i < count; i++) {
      const lineStart = base + meta[3 * i];
      const packed = meta[3 * i + 2];
      if ((packed & 1) === 0) {
        // Flush first: the line may repeat a word of the pending run, and the later one wins.
        if (runLength > 0) store.data.set(values.subarray(runSlot * dim, (runSlot + runLength) * dim), runRow * dim);
        runLength = 0;
        this.lines = firstLine + i + 1;
        this.dataLines += parsedLines;
        parsedLines = 0;
        this.parseLineSlow(bytes, lineStart, base + (packed >> 1));
        continue;
      }
      const parsedSlot = slot++;
      parsedLines++;
      const wordEnd = base + meta[3 * i + 1];
      if (filter !== undefined && !filter.has(bytes.toString('utf8', lineStart, wordEnd))) continue;
      const row = store.rowFor(bytes, lineStart, wordEnd);
      if (runLength > 0 && row === runRow + runLength && parsedSlot === runSlot + runLength) {
        runLength++;
        continue;
      }
      if (runLength > 0) store.data.set(values.subarray(runSlot * dim, (runSlot + runLength) * dim), runRow * dim);
      runSlot = parsedSlot;
      runRow = row;
      runLength = 1;
    }
    if (runLength > 0) store.data.set(values.subarray(runSlot * dim, (runSlot + runLength) * dim), runRow * dim);
    this.lines = firstLine + count;
    this.dataLines += parsedLines;
  }

  end(): void {
    if (this.carry !== undefined) {
      const line = this.carry;
      this.carry = undefined;
      this.lines++;
      this.parseLineSlow(line, 0, line.length);
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

  /** The line `bytes[start, end)`, where `bytes[end]` is its newline. */
  private parseLine(bytes: Buffer, start: number, end: number): void {
    this.lines++;
    const store = this.store;
    const dim = store.dim;
    // The common line (`word v1 … vN`, single spaces) goes straight into the float array;
    // anything else (header, blank, tabs, a vocabulary filter, odd numbers, errors) takes
    // the careful path, which parses the line again from scratch.
    if (dim !== 0 && this.headerChecked && store.filter === undefined) {
      let wordEnd = start;
      while (bytes[wordEnd] > 32) wordEnd++;
      if (wordEnd > start && bytes[wordEnd] === 32) {
        const row = store.rowFor(bytes, start, wordEnd);
        if (parseSimpleRow(bytes, wordEnd, end, store.data, row * dim, dim)) {
          this.dataLines++;
          return;
        }
      }
    }
    this.parseLineSlow(bytes, start, end);
  }

  private parseLineSlow(bytes: Buffer, start: number, end: number): void {
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
    const store = this.store;
    // Only a vocabulary filter needs the word as a string; otherwise it stays bytes.
    if (store.filter !== undefined && !store.filter.has(bytes.toString('utf8', start, wordEnd))) return;
    if (store.dim === 0) {
      const count = countTokens(bytes, wordEnd, end);
      if (count === 0) this.fail(`the word "${bytes.toString('utf8', start, wordEnd)}" has no values`);
      store.setDim(count);
    }
    const dim = store.dim;
    const row = store.rowFor(bytes, start, wordEnd);
    const n = parseDecimalRow(bytes, wordEnd, end, store.data, row * dim, dim);
    if (n < 0) this.reportBadNumber(bytes, wordEnd, end, -1 - n, bytes.toString('utf8', start, wordEnd));
    if (n !== dim) this.fail(`expected ${dim} values after the word "${bytes.toString('utf8', start, wordEnd)}", found ${n}`);
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
        this.fail(
          `expected a "count dim" header line (word2vec / fastText text format), found "${fields.slice(0, 3).join(' ')}${fields.length > 3 ? ' …' : ''}"`,
        );
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
