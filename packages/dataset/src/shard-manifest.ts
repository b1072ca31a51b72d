import type { Schema } from 'apache-arrow';
import { describeValue } from './describe.js';
import { FormatError } from './errors.js';
import { TABLE_KINDS, type TableKind } from './metadata.js';

/** The file name of a sharded dataset's manifest, inside its folder. */
export const MANIFEST_FILE = 'manifest.json';

/** How the shards of a dataset are stored: Arrow IPC files (`.arrow`) or Parquet files (`.parquet`). */
export type ShardFormat = 'arrow' | 'parquet';

export interface ShardFieldInfo {
  name: string;
  /** The Arrow type as Arrow JS prints it, e.g. `Utf8`, `Int32`, `List<Int32>`, `Dictionary<Int8, Utf8>`. */
  type: string;
  nullable: boolean;
}

export interface ShardInfo {
  /** File name inside the dataset's folder. */
  file: string;
  rows: number;
  bytes: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
}

/**
 * The manifest of a sharded dataset (`manifest.json` beside the shards): what the shards
 * hold and how to check them. It is rewritten atomically after each shard is complete, so it
 * only ever lists whole shards.
 */
export interface ShardManifest {
  format: 'seqlearn.shards';
  version: 1;
  shardFormat: ShardFormat;
  /** The table kind of the seqlearn contract the rows follow, if any. */
  kind: TableKind | null;
  schema: { fields: ShardFieldInfo[]; metadata: Record<string, string> };
  /** Total rows over every shard. */
  rows: number;
  shards: ShardInfo[];
}

/** The manifest's description of an Arrow schema. */
export function describeSchema(schema: Schema): ShardManifest['schema'] {
  return {
    fields: schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable })),
    metadata: Object.fromEntries(schema.metadata),
  };
}

/** Where two schema descriptions differ (field names, order, types), or undefined when they agree. */
export function schemaDifference(expected: ShardManifest['schema'], actual: ShardManifest['schema']): string | undefined {
  const names = (s: ShardManifest['schema']) => s.fields.map((f) => `${f.name}: ${f.type}`).join(', ');
  if (
    expected.fields.length !== actual.fields.length ||
    expected.fields.some((f, i) => f.name !== actual.fields[i]!.name || f.type !== actual.fields[i]!.type)
  ) {
    return `columns (${names(actual)}) differ from the dataset's (${names(expected)})`;
  }
  return undefined;
}

/** Checks a parsed manifest's layout; `path` names the file in the error. */
export function parseManifest(json: unknown, path: string): ShardManifest {
  const fail = (what: string): never => {
    throw new FormatError(`${path}: ${what}; expected a seqlearn shard manifest (write it with ShardWriter or writeShards)`, {
      file: path,
      code: 'ERR_SHARD_MANIFEST',
    });
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail(`the manifest is ${describeValue(json)}`);
  const m = json as Record<string, unknown>;
  if (m.format !== 'seqlearn.shards') fail(`"format" is ${describeValue(m.format)}, not "seqlearn.shards"`);
  if (m.version !== 1) fail(`"version" is ${describeValue(m.version)}; this version of @seqlearn/dataset reads version 1`);
  if (m.shardFormat !== 'arrow' && m.shardFormat !== 'parquet')
    fail(`"shardFormat" is ${describeValue(m.shardFormat)}, not "arrow" or "parquet"`);
  if (m.kind !== null && !TABLE_KINDS.includes(m.kind as TableKind))
    fail(`"kind" is ${describeValue(m.kind)}, not null or one of ${TABLE_KINDS.join(', ')}`);
  const schema = m.schema as Record<string, unknown> | undefined;
  if (
    schema === undefined ||
    schema === null ||
    !Array.isArray(schema.fields) ||
    typeof schema.metadata !== 'object' ||
    schema.metadata === null
  ) {
    fail('"schema" needs "fields" (a list) and "metadata" (an object)');
  }
  (schema!.fields as unknown[]).forEach((f, i) => {
    const field = f as Record<string, unknown>;
    if (typeof field?.name !== 'string' || typeof field.type !== 'string' || typeof field.nullable !== 'boolean')
      fail(`schema field ${i} needs "name", "type" (strings) and "nullable"`);
  });
  if (!Array.isArray(m.shards)) fail('"shards" is not a list');
  let rows = 0;
  (m.shards as unknown[]).forEach((s, i) => {
    const shard = s as Record<string, unknown>;
    if (typeof shard?.file !== 'string' || shard.file.includes('/') || shard.file.includes('\\') || shard.file.startsWith('.'))
      fail(`shard ${i} has no plain "file" name`);
    for (const key of ['rows', 'bytes'] as const) {
      if (!Number.isInteger(shard[key]) || (shard[key] as number) < 0)
        fail(`shard ${i} (${String(shard.file)}): "${key}" is ${describeValue(shard[key])}, not an integer >= 0`);
    }
    if (typeof shard.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(shard.sha256))
      fail(`shard ${i} (${String(shard.file)}): "sha256" is not 64 hex digits`);
    rows += shard.rows as number;
  });
  if (m.rows !== rows) fail(`"rows" is ${describeValue(m.rows)} but the shards hold ${rows}`);
  return json as ShardManifest;
}
