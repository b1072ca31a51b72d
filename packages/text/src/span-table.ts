/**
 * A string-keyed hash table that can look a key up by a span of a larger string
 * (text, start, end, hash) without slicing it out. Entries get dense ids in insertion order.
 * Keys' code units also live in one Uint16Array so a probe compares against flat memory
 * rather than chasing a string object per candidate.
 */
/** A SpanTable's arrays (see toParts). */
export interface SpanTableParts {
  slots: Int32Array<ArrayBuffer>;
  mask: number;
  units: Uint16Array<ArrayBuffer>;
  unitCount: number;
  offsets: Int32Array<ArrayBuffer>;
}

export class SpanTable {
  readonly keys: string[] = [];
  /** Pairs [hash, id + 1]; id + 1 === 0 marks an empty slot. */
  private slots = new Int32Array(4096);
  private mask = 2047;
  private units = new Uint16Array(16384);
  private unitCount = 0;
  private offsets = new Int32Array(1025);

  get size(): number {
    return this.keys.length;
  }

  /** The id of the key equal to text[start, end), or -1. */
  find(text: string, start: number, end: number, hash: number): number {
    const { slots, mask, offsets, units } = this;
    const length = end - start;
    let slot = (hash ^ (hash >>> 15)) & mask;
    for (;;) {
      const entry = slots[2 * slot + 1]! - 1;
      if (entry < 0) return -1;
      if (slots[2 * slot] === hash) {
        const at = offsets[entry]!;
        if (offsets[entry + 1]! - at === length) {
          let k = 0;
          while (k < length && units[at + k] === text.charCodeAt(start + k)) k++;
          if (k === length) return entry;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * find() for every span a scanner recorded in `text`, ids (or -1) into `out`. One call per
   * text keeps the table's arrays in locals for the whole run of lookups.
   */
  findAll(text: string, starts: Int32Array, ends: Int32Array, hashes: Int32Array, count: number, out: Int32Array): void {
    const { slots, mask, offsets, units } = this;
    for (let k = 0; k < count; k++) {
      const start = starts[k]!;
      const length = ends[k]! - start;
      const hash = hashes[k]!;
      let slot = (hash ^ (hash >>> 15)) & mask;
      let found = -1;
      for (;;) {
        const entry = slots[2 * slot + 1]! - 1;
        if (entry < 0) break;
        if (slots[2 * slot] === hash) {
          const at = offsets[entry]!;
          if (offsets[entry + 1]! - at === length) {
            let j = 0;
            while (j < length && units[at + j] === text.charCodeAt(start + j)) j++;
            if (j === length) {
              found = entry;
              break;
            }
          }
        }
        slot = (slot + 1) & mask;
      }
      out[k] = found;
    }
  }

  /** The table's arrays, to move to another thread (the table must not be used afterwards). */
  toParts(): SpanTableParts {
    return { slots: this.slots, mask: this.mask, units: this.units, unitCount: this.unitCount, offsets: this.offsets };
  }

  /** A table from `toParts()` of another and its keys, without hashing them again. */
  static fromParts(keys: string[], parts: SpanTableParts): SpanTable {
    const table = new SpanTable();
    (table as { keys: string[] }).keys = keys;
    table.slots = parts.slots;
    table.mask = parts.mask;
    table.units = parts.units;
    table.unitCount = parts.unitCount;
    table.offsets = parts.offsets;
    return table;
  }

  /** Each key's hash by id, read from the slots of `toParts()` (no key is hashed again). */
  static hashesOf(parts: SpanTableParts, size: number): Int32Array {
    const hashes = new Int32Array(size);
    const slots = parts.slots;
    for (let s = 0; s < slots.length; s += 2) {
      const id = slots[s + 1]! - 1;
      if (id >= 0 && id < size) hashes[id] = slots[s]!;
    }
    return hashes;
  }

  /** Adds a key known to be absent; returns its id. */
  add(key: string, hash: number): number {
    const id = this.keys.length;
    this.keys.push(key);
    if (id + 2 > this.offsets.length) this.offsets = grown(this.offsets, id + 2);
    if (this.unitCount + key.length > this.units.length) this.units = grown(this.units, this.unitCount + key.length);
    for (let k = 0; k < key.length; k++) this.units[this.unitCount++] = key.charCodeAt(k);
    this.offsets[id + 1] = this.unitCount;
    // Keep the load under one half so probe runs stay short.
    if ((id + 1) * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    this.place(id, hash);
    return id;
  }

  private place(id: number, hash: number): void {
    let slot = (hash ^ (hash >>> 15)) & this.mask;
    while (this.slots[2 * slot + 1] !== 0) slot = (slot + 1) & this.mask;
    this.slots[2 * slot] = hash;
    this.slots[2 * slot + 1] = id + 1;
  }

  private rehash(capacity: number): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * capacity);
    this.mask = capacity - 1;
    for (let s = 0; s < old.length; s += 2) {
      if (old[s + 1] !== 0) this.place(old[s + 1]! - 1, old[s]!);
    }
  }
}

function grown<T extends Int32Array | Uint16Array>(array: T, min: number): T {
  const next = new (array.constructor as new (n: number) => T)(Math.max(min, array.length * 2));
  next.set(array);
  return next;
}
