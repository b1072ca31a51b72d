import { META, columnValues, contiguous, embeddingsTable, readJsonMeta, validateEmbeddings } from '@seqlearn/dataset';
import type { Table } from 'apache-arrow';
import { WordVectors } from './word-vectors.js';

/** The vectors as an embeddings table (`word: Utf8`, `vector: FixedSizeList<Float32>[dim]`). */
export function toEmbeddingsTable(vectors: WordVectors, metadata: Record<string, string> = {}): Table {
  return embeddingsTable({ word: vectors.words, vector: vectors.data, dim: vectors.dim }, { source: vectors.source, metadata });
}

/**
 * WordVectors over an embeddings table's buffers: the vector column is used in place
 * (no copy), the words are decoded once, and the word -> row map is built on first use.
 */
export function fromEmbeddingsTable(table: Table): WordVectors {
  validateEmbeddings(table);
  const one = contiguous(table);
  const info = readJsonMeta<{ source: string; dim: number }>(one, META.embeddings)!;
  const vector = columnValues(one, 'vector');
  const wordField = one.schema.fields.findIndex((f) => f.name === 'word');
  const words = one.numRows === 0 ? [] : decodeUtf8Column(one.batches[0].data.children[wordField].valueOffsets as Int32Array, one.batches[0].data.children[wordField].values as Uint8Array, one.numRows);
  return new WordVectors(words, vector.values as Float32Array, info.dim, { source: info.source });
}

/**
 * A Utf8 column's strings. All-ASCII data (every GloVe 6B word) is decoded with one
 * call and cut by offsets, which is far faster than a decoder call per word.
 */
function decodeUtf8Column(offsets: Int32Array, values: Uint8Array, rows: number): string[] {
  const first = offsets[0];
  const last = offsets[rows];
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  let ascii = true;
  for (let i = first; i < last; i++) {
    if (bytes[i] > 127) {
      ascii = false;
      break;
    }
  }
  const words = new Array<string>(rows);
  if (ascii) {
    const text = bytes.toString('latin1', first, last);
    for (let r = 0; r < rows; r++) words[r] = text.slice(offsets[r] - first, offsets[r + 1] - first);
  } else {
    for (let r = 0; r < rows; r++) words[r] = bytes.toString('utf8', offsets[r], offsets[r + 1]);
  }
  return words;
}
