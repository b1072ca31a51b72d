import { endianness } from 'node:os';
import { VectorsFormatError, type VectorsLocation } from './errors.js';
import type { VectorStore } from './vector-store.js';

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Pushes chunks of a word2vec binary file into a VectorStore: a `count dim\n` header,
 * then per word its UTF-8 bytes, a space, and `dim` little-endian float32 values
 * (optionally followed by a newline, which the next word's leading whitespace absorbs).
 */
export class BinaryVectorsParser {
  /** Records read so far (1-based numbers in errors). */
  records = 0;
  declaredCount = -1;
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly store: VectorStore,
    private readonly location: VectorsLocation,
    private readonly expectedDim: number | undefined,
  ) {}

  private fail(message: string, record?: number): never {
    throw new VectorsFormatError({ ...this.location, line: record }, message);
  }

  push(chunk: Buffer): void {
    let bytes = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let p = 0;
    if (this.declaredCount < 0) {
      const newline = bytes.indexOf(10);
      if (newline < 0) {
        if (bytes.length > 1024) this.fail('expected a "count dim" header line at the start of a word2vec binary file', 1);
        this.pending = Buffer.from(bytes);
        return;
      }
      this.parseHeader(bytes.toString('latin1', 0, newline).trim());
      p = newline + 1;
    }
    const store = this.store;
    const dim = store.dim;
    const recordBytes = dim * 4;
    while (this.records < this.declaredCount) {
      while (p < bytes.length && (bytes[p] === 10 || bytes[p] === 13)) p++;
      const space = bytes.indexOf(32, p);
      if (space < 0 || space + 1 + recordBytes > bytes.length) break;
      this.records++;
      const wordStart = p;
      const valuesStart = space + 1;
      p = valuesStart + recordBytes;
      if (space === wordStart) this.fail('empty word', this.records);
      if (store.filter !== undefined && !store.filter.has(bytes.toString('utf8', wordStart, space))) continue;
      const row = store.rowFor(bytes, wordStart, space);
      if (LITTLE_ENDIAN) {
        new Uint8Array(store.data.buffer, store.data.byteOffset + row * recordBytes, recordBytes).set(bytes.subarray(valuesStart, p));
      } else {
        for (let j = 0; j < dim; j++) store.data[row * dim + j] = bytes.readFloatLE(valuesStart + 4 * j);
      }
    }
    bytes = bytes.subarray(p);
    if (this.records === this.declaredCount) {
      for (const c of bytes)
        if (c !== 10 && c !== 13 && c !== 32) this.fail(`data after the ${this.declaredCount} words the header declares`, this.records);
      this.pending = Buffer.alloc(0);
      return;
    }
    if (bytes.length > 1 << 16 && bytes.indexOf(32) < 0)
      this.fail('a word longer than 64 KiB: is this a binary word2vec file?', this.records + 1);
    this.pending = Buffer.from(bytes);
  }

  end(): void {
    if (this.declaredCount < 0) this.fail('the file ends before the "count dim" header line', 1);
    if (this.records < this.declaredCount) {
      this.fail(
        `the file ends in record ${this.records + 1}: the header declares ${this.declaredCount} words of ${this.store.dim} float32 values`,
        this.records + 1,
      );
    }
  }

  private parseHeader(line: string): void {
    const fields = line.split(/\s+/);
    if (fields.length !== 2 || !fields.every((f) => /^\d+$/.test(f)) || Number(fields[1]) === 0) {
      this.fail(`expected a "count dim" header line, found "${line.slice(0, 60)}"`, 1);
    }
    const dim = Number(fields[1]);
    if (this.expectedDim !== undefined && this.expectedDim !== dim)
      this.fail(`the header declares ${dim} dimensions, expected ${this.expectedDim}`, 1);
    this.declaredCount = Number(fields[0]);
    this.store.setDim(dim);
    this.store.limitRows(this.declaredCount);
  }
}
