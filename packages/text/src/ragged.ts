/**
 * Variable-length sequences in Arrow's List layout: row i is
 * `values.subarray(offsets[i], offsets[i + 1])`.
 */
export interface RaggedSequences {
  values: Int32Array;
  /** rows + 1 entries, starting at 0. */
  offsets: Int32Array;
}

export function isRagged(value: unknown): value is RaggedSequences {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as RaggedSequences).values instanceof Int32Array &&
    (value as RaggedSequences).offsets instanceof Int32Array
  );
}

/** Row views of a ragged set (no copies). */
export function raggedRows(ragged: RaggedSequences): Int32Array[] {
  const rows = new Array<Int32Array>(ragged.offsets.length - 1);
  for (let i = 0; i < rows.length; i++) rows[i] = ragged.values.subarray(ragged.offsets[i], ragged.offsets[i + 1]);
  return rows;
}

/** A growable Int32Array, doubling as it fills. */
export class Int32Builder {
  /** The storage: values [0, length) are filled. grow() may replace it, so read it after growing. */
  buffer: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buffer = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.buffer.length) this.grow(this.length + 1);
    this.buffer[this.length++] = value;
  }

  grow(minCapacity: number): void {
    if (minCapacity <= this.buffer.length) return;
    const next = new Int32Array(Math.max(minCapacity, this.buffer.length * 2));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  /** The filled part, trimmed to a buffer of its own size. */
  finish(): Int32Array {
    return this.buffer.length === this.length ? this.buffer : this.buffer.slice(0, this.length);
  }
}
