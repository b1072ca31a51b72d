import { META, columnValues, contiguous, embeddingsTable, readJsonMeta, validateEmbeddings } from '@seqlearn/dataset';
import type { Table } from 'apache-arrow';
import { WordTable } from './word-table.js';
import { WordVectors } from './word-vectors.js';

/** The vectors as an embeddings table (`word: Utf8`, `vector: FixedSizeList<Float32>[dim]`). */
export function toEmbeddingsTable(vectors: WordVectors, metadata: Record<string, string> = {}): Table {
  return embeddingsTable({ word: vectors.words, vector: vectors.data, dim: vectors.dim }, { source: vectors.source, metadata });
}

/**
 * WordVectors over an embeddings table's buffers: the vector column and the word
 * column's UTF-8 bytes are used in place (no copy, no string per word until asked).
 */
export function fromEmbeddingsTable(table: Table): WordVectors {
  validateEmbeddings(table);
  const one = contiguous(table);
  const info = readJsonMeta<{ source: string; dim: number }>(one, META.embeddings)!;
  const vector = columnValues(one, 'vector');
  const words =
    one.numRows === 0
      ? new WordTable(0)
      : (() => {
          const column = one.batches[0].data.children[one.schema.fields.findIndex((f) => f.name === 'word')];
          return WordTable.fromUtf8(column.values as Uint8Array, column.valueOffsets as Int32Array, one.numRows);
        })();
  return new WordVectors(words, vector.values as Float32Array, info.dim, { source: info.source });
}
