import { InvalidOptionError } from './errors.js';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units: the hash the scanner computes for a span, for a whole string. */
export function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Keras's `text.translate(filters -> split).split(split)` as one pass over the UTF-16 code
 * units with a lookup table, when `split` is a single code unit. It does not build the
 * translated copy or the word strings: it records each word as a span (start, end) and
 * the span's hash, so a vocabulary lookup needs no new string unless the word is new.
 */
export class SpanScanner {
  starts = new Int32Array(4096);
  ends = new Int32Array(4096);
  hashes = new Int32Array(4096);
  /** Scratch for callers: one slot per recorded span (e.g. looked-up ids). */
  ids = new Int32Array(4096);
  private readonly ascii = new Uint8Array(128);
  private readonly others: Set<number> | null;
  private readonly astral: boolean;

  /** undefined when `split` is longer than one code unit (then a separator can span a filtered character). */
  static compile(filters: string, split: string): SpanScanner | undefined {
    if (split.length === 0) {
      throw new InvalidOptionError('split', 'split must be a non-empty string (Python raises "empty separator" too)');
    }
    return split.length === 1 ? new SpanScanner(filters, split.charCodeAt(0)) : undefined;
  }

  private constructor(filters: string, separator: number) {
    let others: Set<number> | null = null;
    let astral = false;
    for (const ch of filters) {
      const cp = ch.codePointAt(0)!;
      if (cp < 128) this.ascii[cp] = 1;
      else {
        (others ??= new Set()).add(cp);
        if (cp > 0xffff) astral = true;
      }
    }
    if (separator < 128) this.ascii[separator] = 1;
    else (others ??= new Set()).add(separator);
    this.others = others;
    this.astral = astral;
  }

  /** Fills starts/ends/hashes with the words of `text`; returns how many. */
  scan(text: string): number {
    const { ascii, others, astral } = this;
    const n = text.length;
    let count = 0;
    let start = 0;
    let h = FNV_OFFSET;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      let width = 0;
      if (c < 128) {
        if (ascii[c] !== 0) width = 1;
      } else if (others !== null) {
        width = this.separatorWidth(text, i, c, others, astral);
      }
      if (width === 0) {
        h = Math.imul(h ^ c, FNV_PRIME);
        continue;
      }
      if (i > start) {
        if (count === this.starts.length) this.grow();
        this.starts[count] = start;
        this.ends[count] = i;
        this.hashes[count++] = h;
      }
      start = i + width;
      i += width - 1;
      h = FNV_OFFSET;
    }
    if (n > start) {
      if (count === this.starts.length) this.grow();
      this.starts[count] = start;
      this.ends[count] = n;
      this.hashes[count++] = h;
    }
    return count;
  }

  /** The words of `text` as strings (for callers that need them). */
  words(text: string): string[] {
    const count = this.scan(text);
    const out = new Array<string>(count);
    for (let k = 0; k < count; k++) out[k] = text.slice(this.starts[k], this.ends[k]);
    return out;
  }

  /** Python filters by code point: a surrogate pair is one character, never two halves. */
  private separatorWidth(text: string, i: number, c: number, others: Set<number>, astral: boolean): number {
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        return astral && others.has(((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000) ? 2 : 0;
      }
    } else if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const hi = text.charCodeAt(i - 1);
      if (hi >= 0xd800 && hi <= 0xdbff) return 0;
    }
    return others.has(c) ? 1 : 0;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const hashes = new Int32Array(size);
    this.ids = new Int32Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    hashes.set(this.hashes);
    this.starts = starts;
    this.ends = ends;
    this.hashes = hashes;
  }
}
