const encoder = new TextEncoder();

/**
 * The words of a vectors file as UTF-8 bytes packed end to end (Arrow's Utf8 layout:
 * `bytes` plus `offsets`), with an open-addressing hash index over the bytes. Reading
 * 100,000 words this way makes no JS string and no Map entry per word: those cost
 * more peak memory than the word data itself. Strings are made on demand.
 */
export class WordTable {
  private data: Uint8Array;
  private starts: Int32Array;
  size = 0;
  /** row + 1 per slot, 0 for empty; the length is a power of two, at most half full. */
  private slots: Int32Array;
  private scratch = new Uint8Array(256);
  private strings: string[] | undefined;

  constructor(expectedRows = 1024, bytesPerWord = 8) {
    this.data = new Uint8Array(Math.max(1024, expectedRows * bytesPerWord));
    this.starts = new Int32Array(Math.max(1024, expectedRows) + 1);
    this.slots = new Int32Array(slotCount(expectedRows));
  }

  /** A table over an Arrow Utf8 column's buffers (no copy); the index is built on first lookup. */
  static fromUtf8(bytes: Uint8Array, offsets: Int32Array, rows: number): WordTable {
    const table = new WordTable(0);
    table.data = bytes;
    table.starts = offsets;
    table.size = rows;
    table.slots = new Int32Array(0);
    return table;
  }

  /** UTF-8 bytes and offsets of the words, row by row (views, not copies). */
  get utf8(): { bytes: Uint8Array; offsets: Int32Array } {
    return { bytes: this.data, offsets: this.starts.subarray(0, this.size + 1) };
  }

  /** The row of the word `bytes[start, end)`, adding it if new; `added` says which. */
  add(bytes: Uint8Array, start: number, end: number): { row: number; added: boolean } {
    const found = this.insert(bytes, start, end);
    return found >= 0 ? { row: found, added: true } : { row: -1 - found, added: false };
  }

  /**
   * The same as `add` without an object per call (the readers call it once a line): the
   * new row, or `-1 - row` when the word was there already.
   */
  insert(bytes: Uint8Array, start: number, end: number): number {
    if (this.slots.length < 2 * (this.size + 1)) this.rehash(2 * (this.size + 1));
    const mask = this.slots.length - 1;
    let slot = hashBytes(bytes, start, end) & mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      if (this.equals(entry - 1, bytes, start, end)) return -entry;
      slot = (slot + 1) & mask;
    }
    const row = this.size;
    const length = end - start;
    const at = this.starts[row];
    if (at + length > this.data.length) this.data = grow(this.data, at + length);
    if (row + 2 > this.starts.length) this.starts = grow(this.starts, row + 2);
    const data = this.data;
    if (length <= 32) {
      for (let i = 0; i < length; i++) data[at + i] = bytes[start + i];
    } else {
      data.set(bytes.subarray(start, end), at);
    }
    this.starts[row + 1] = at + length;
    this.size = row + 1;
    this.slots[slot] = row + 1;
    this.strings = undefined;
    return row;
  }

  /** The row of `word`, or -1. */
  rowOf(word: string): number {
    if (this.slots.length === 0 || this.slots.length < 2 * this.size) this.rehash(this.size);
    if (this.scratch.length < word.length * 3) this.scratch = new Uint8Array(word.length * 3);
    const { written } = encoder.encodeInto(word, this.scratch);
    const mask = this.slots.length - 1;
    let slot = hashBytes(this.scratch, 0, written) & mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) return -1;
      if (this.equals(entry - 1, this.scratch, 0, written)) return entry - 1;
      slot = (slot + 1) & mask;
    }
  }

  /** The words as strings, decoded once (ASCII data in one call, cut by offsets). */
  words(): string[] {
    if (this.strings === undefined) this.strings = decodeWords(this.data, this.starts, this.size);
    return this.strings;
  }

  private equals(row: number, bytes: Uint8Array, start: number, end: number): boolean {
    const at = this.starts[row];
    if (this.starts[row + 1] - at !== end - start) return false;
    for (let i = start; i < end; i++) if (this.data[at + i - start] !== bytes[i]) return false;
    return true;
  }

  private rehash(rows: number): void {
    const slots = new Int32Array(slotCount(rows));
    const mask = slots.length - 1;
    for (let row = 0; row < this.size; row++) {
      let slot = hashBytes(this.data, this.starts[row], this.starts[row + 1]) & mask;
      // A later duplicate (possible in a table read from Arrow) must not shadow the first row.
      while (slots[slot] !== 0 && !this.equals(slots[slot] - 1, this.data, this.starts[row], this.starts[row + 1]))
        slot = (slot + 1) & mask;
      if (slots[slot] === 0) slots[slot] = row + 1;
    }
    this.slots = slots;
  }
}

function slotCount(rows: number): number {
  let n = 1024;
  while (n < 2 * rows) n *= 2;
  return n;
}

/** FNV-1a over the bytes. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

function grow<T extends Uint8Array | Int32Array>(array: T, needed: number): T {
  const next = new (array.constructor as new (n: number) => T)(Math.max(needed, Math.ceil(array.length * 1.5)));
  next.set(array);
  return next;
}

function decodeWords(data: Uint8Array, offsets: Int32Array, rows: number): string[] {
  const words = new Array<string>(rows);
  if (rows === 0) return words;
  const first = offsets[0];
  const last = offsets[rows];
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let ascii = true;
  for (let i = first; i < last; i++) {
    if (buffer[i] > 127) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const text = buffer.toString('latin1', first, last);
    for (let r = 0; r < rows; r++) words[r] = text.slice(offsets[r] - first, offsets[r + 1] - first);
  } else {
    for (let r = 0; r < rows; r++) words[r] = buffer.toString('utf8', offsets[r], offsets[r + 1]);
  }
  return words;
}
