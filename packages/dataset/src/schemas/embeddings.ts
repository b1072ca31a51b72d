import { Table } from 'apache-arrow';
import { assembleTable, fixedSizeListColumn, metadataMap, utf8Column } from '../columns.js';
import { SchemaError } from '../errors.js';
import { META, readJsonMeta } from '../metadata.js';
import { isFixedList, isFloat32, isUtf8, requireColumn, requireKind } from './check.js';

export interface EmbeddingsInfo {
  source: string;
  dim: number;
}

/** Word vectors: `word: Utf8`, `vector: FixedSizeList<Float32>[dim]`; metadata holds the source file and dimension. */
export function embeddingsTable(
  columns: { word: readonly string[]; vector: Float32Array; dim: number },
  meta: { source: string; metadata?: Record<string, string> },
): Table {
  const info: EmbeddingsInfo = { source: meta.source, dim: columns.dim };
  return assembleTable(
    [
      { name: 'word', data: utf8Column(columns.word, 'word') },
      { name: 'vector', data: fixedSizeListColumn(columns.vector, columns.dim, 'vector') },
    ],
    metadataMap(meta.metadata, { [META.kind]: 'embeddings', [META.embeddings]: JSON.stringify(info) }),
  );
}

export function validateEmbeddings(table: Table): void {
  requireKind(table, 'embeddings');
  requireColumn(table, 'embeddings', 'word', 'Utf8', isUtf8);
  const type = requireColumn(table, 'embeddings', 'vector', 'FixedSizeList<Float32>[dim]', isFixedList(isFloat32));
  const info = readJsonMeta<EmbeddingsInfo>(table, META.embeddings);
  if (!info || typeof info.source !== 'string' || typeof info.dim !== 'number') {
    throw new SchemaError(`embeddings table: metadata "${META.embeddings}" must be {"source": string, "dim": number}`);
  }
  const width = (type as unknown as { listSize: number }).listSize;
  if (width !== info.dim) {
    throw new SchemaError(`embeddings table: column "vector" has ${width} values a row, metadata says dim ${info.dim}`, 'vector');
  }
}
