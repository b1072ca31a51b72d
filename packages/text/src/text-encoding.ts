import type { Analyze, TextInput } from './analyzer.js';
import { Int32Builder, type RaggedSequences } from './ragged.js';
import type { SpanScanner } from './span-scanner.js';
import type { SpanTableParts } from './span-table.js';
import type { WordEncoder } from './word-encoder.js';
import { packWords, unpackWords, type PackedWords } from './packed-words.js';

/**
 * What texts_to_sequences looks words up in: each known word and the id it becomes (with
 * numWords and the oov token already applied; -1 drops the word), and the id of unknown
 * words (-1: dropped). A tokenizer exports it so another thread can convert texts with
 * exactly its index.
 */
export interface EncodingTable {
  readonly words: readonly string[];
  readonly output: Int32Array;
  readonly unknown: number;
  /**
   * The lookup's hash table over `words` (ids are positions in `words`), when the tokenizer
   * has one: a receiver then builds its lookup without hashing every word again.
   */
  readonly hashTable?: SpanTableParts;
}

/** An EncodingTable as flat values that cross a thread cheaply (see PackedTokenCounts). */
export interface PackedEncodingTable extends PackedWords {
  output: Int32Array;
  unknown: number;
  hashTable?: SpanTableParts;
}

export type EncodeText = (text: TextInput, row: number) => number[];

/** Keras's texts_to_sequences_generator loop body for one text. */
export function textEncoder(encoder: WordEncoder, analyze: Analyze, scanner: SpanScanner | undefined, lower: boolean): EncodeText {
  return (text, row) => {
    if (scanner !== undefined && typeof text === 'string') {
      const lowered = lower ? text.toLowerCase() : text;
      return encoder.encodeScanned(lowered, scanner, scanner.scan(lowered));
    }
    return encoder.encodeTokens(analyze(text, row));
  };
}

/**
 * Every text's ids into one flat Int32Array plus offsets (Arrow's List layout). Scanned texts
 * write their ids straight into the flat array: no array per text to allocate and copy.
 */
export function encodeRagged(
  encoder: WordEncoder,
  analyze: Analyze,
  scanner: SpanScanner | undefined,
  lower: boolean,
  texts: Iterable<TextInput>,
  firstRow = 0,
): RaggedSequences {
  const values = new Int32Builder(1 << 16);
  const offsets = new Int32Builder(1024);
  offsets.push(0);
  let row = firstRow;
  for (const text of texts) {
    if (scanner !== undefined && typeof text === 'string') {
      const lowered = lower ? text.toLowerCase() : text;
      encoder.encodeScannedInto(lowered, scanner, scanner.scan(lowered), values);
    } else {
      const seq = encoder.encodeTokens(analyze(text, row));
      values.grow(values.length + seq.length);
      for (let k = 0; k < seq.length; k++) values.push(seq[k]!);
    }
    row++;
    offsets.push(values.length);
  }
  return { values: values.finish(), offsets: offsets.finish() };
}

export function packEncodingTable(table: EncodingTable): PackedEncodingTable {
  return { ...packWords(table.words), output: table.output, unknown: table.unknown, hashTable: table.hashTable };
}

export function unpackEncodingTable(packed: PackedEncodingTable): EncodingTable {
  return { words: unpackWords(packed), output: packed.output, unknown: packed.unknown, hashTable: packed.hashTable };
}
