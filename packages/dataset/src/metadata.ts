import { RecordBatch, Schema, Table } from 'apache-arrow';
import { SchemaError } from './errors.js';

/** Schema metadata keys of the seqlearn Arrow contract. */
export const META = {
  kind: 'seqlearn.kind',
  labels: 'seqlearn.labels',
  source: 'seqlearn.source',
  tokenizer: 'seqlearn.tokenizer',
  vectors: 'seqlearn.vectors',
  embeddings: 'seqlearn.embeddings',
  timeseries: 'seqlearn.timeseries',
} as const;

/** The five kinds of table that packages hand each other. */
export type TableKind = 'corpus' | 'sequences' | 'vectors' | 'embeddings' | 'timeseries';

export const TABLE_KINDS: readonly TableKind[] = ['corpus', 'sequences', 'vectors', 'embeddings', 'timeseries'];

/** The kind a table declares in its metadata, if any. */
export function tableKind(table: Table): TableKind | undefined {
  const kind = table.schema.metadata.get(META.kind);
  return TABLE_KINDS.find((k) => k === kind);
}

/** Parses a JSON-valued metadata entry; undefined when the key is absent. */
export function readJsonMeta<T>(table: Table, key: string): T | undefined {
  const raw = table.schema.metadata.get(key);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch (cause) {
    throw new SchemaError(`metadata "${key}" is not valid JSON: ${(cause as Error).message}`);
  }
}

/** The same table (same buffers) with metadata entries added or replaced. */
export function withMetadata(table: Table, entries: Record<string, string>): Table {
  const metadata = new Map(table.schema.metadata);
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  const schema = new Schema(table.schema.fields, metadata, table.schema.dictionaries);
  return new Table(
    schema,
    table.batches.map((batch) => new RecordBatch(schema, batch.data)),
  );
}
