import { Int32Builder } from './ragged.js';
import type { SpanScanner } from './span-scanner.js';
import { hashString } from './span-scanner.js';
import { SpanTable } from './span-table.js';
import type { EncodingTable } from './text-encoding.js';

/**
 * Word-to-id lookup for texts_to_sequences, with Keras's numWords/oov rule folded into each
 * entry's output id up front (-1: drop the word). Words past numWords come out as unknown
 * words do, so the lookup leaves them out: with numWords 10,000 over a vocabulary of 100,000,
 * its table is a tenth of the size, probes stay in cache, and a worker is sent that much less.
 */
export class WordEncoder {
  private exported: EncodingTable | undefined;
  /** encodeScanned's ids before they go into their array. */
  private scratch: Int32Builder | undefined;

  private constructor(
    private readonly table: SpanTable,
    private readonly output: Int32Array,
    /** Id for unknown words, -1 to drop them. */
    private readonly unknown: number,
  ) {}

  /** From a word index map (loaded or edited by the caller). */
  static fromMap(wordIndex: Map<string, number>, numWords: number | null, oovIndex: number | undefined): WordEncoder {
    return WordEncoder.keeping(wordIndex, numWords, oovIndex);
  }

  /** From the fitted vocabulary's own table: `index[id]` is the word index of vocabulary id `id`. */
  static fromTable(table: SpanTable, index: Int32Array, numWords: number | null, oovIndex: number | undefined): WordEncoder {
    if (!numWords || numWords >= index.length) {
      // Every word keeps its index: the vocabulary's table serves as it is.
      const output = new Int32Array(index.length);
      for (let id = 0; id < index.length; id++) output[id] = limit(index[id]!, numWords, oovIndex);
      return new WordEncoder(table, output, oovIndex ?? -1);
    }
    const words = table.keys;
    return WordEncoder.keeping(
      (function* () {
        for (let id = 0; id < index.length; id++) yield [words[id]!, index[id]!] as [string, number];
      })(),
      numWords,
      oovIndex,
    );
  }

  /** A table of the words whose id differs from an unknown word's. */
  private static keeping(entries: Iterable<[string, number]>, numWords: number | null, oovIndex: number | undefined): WordEncoder {
    const unknown = oovIndex ?? -1;
    const table = new SpanTable();
    const output: number[] = [];
    for (const [word, i] of entries) {
      const out = limit(i, numWords, oovIndex);
      if (out !== unknown) output[table.add(word, hashString(word))] = out;
    }
    return new WordEncoder(table, Int32Array.from(output), unknown);
  }

  /** From an exported table (another thread's tokenizer). */
  static fromEncodingTable(exported: EncodingTable): WordEncoder {
    let table: SpanTable;
    if (exported.hashTable !== undefined) table = SpanTable.fromParts(exported.words as string[], exported.hashTable);
    else {
      table = new SpanTable();
      for (const word of exported.words) table.add(word, hashString(word));
    }
    const encoder = new WordEncoder(table, exported.output, exported.unknown);
    encoder.exported = exported;
    return encoder;
  }

  /** The words and their output ids; the same object for as long as this encoder lives. */
  toEncodingTable(): EncodingTable {
    return (this.exported ??= { words: this.table.keys, output: this.output, unknown: this.unknown, hashTable: this.table.toParts() });
  }

  encodeTokens(tokens: readonly string[]): number[] {
    const out: number[] = [];
    for (let k = 0; k < tokens.length; k++) {
      const word = tokens[k]!;
      const id = this.table.find(word, 0, word.length, hashString(word));
      const v = id < 0 || id >= this.output.length ? this.unknown : this.output[id]!;
      if (v >= 0) out.push(v);
    }
    return out;
  }

  /** The ids of the `count` words the scanner just found in `text`, in a right-sized array. */
  encodeScanned(text: string, scanner: SpanScanner, count: number): number[] {
    const ids = (this.scratch ??= new Int32Builder(256));
    ids.length = 0;
    this.encodeScannedInto(text, scanner, count, ids);
    return Array.from(ids.buffer.subarray(0, ids.length));
  }

  /** encodeScanned's ids appended to `out`, with no array per text. */
  encodeScannedInto(text: string, scanner: SpanScanner, count: number, out: Int32Builder): void {
    const ids = scanner.ids;
    this.table.findAll(text, scanner.starts, scanner.ends, scanner.hashes, count, ids);
    const { output, unknown } = this;
    out.grow(out.length + count);
    const values = out.buffer;
    let n = out.length;
    for (let k = 0; k < count; k++) {
      const id = ids[k]!;
      const v = id < 0 || id >= output.length ? unknown : output[id]!;
      if (v >= 0) values[n++] = v;
    }
    out.length = n;
  }
}

/** Keras: an index >= numWords becomes the oov index, or is dropped without one. */
function limit(i: number, numWords: number | null, oovIndex: number | undefined): number {
  return numWords && i >= numWords ? (oovIndex ?? -1) : i;
}
