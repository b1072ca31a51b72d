import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { readTable, writeFileAtomic, writeTable, type TableKind } from '@seqlearn/dataset';

/**
 * Each pipeline stage writes its table as an Arrow IPC file in the run's folder,
 * beside a small JSON record of the key it was built from and the file's sha256.
 * A rerun reuses the file only if the key still matches and the bytes are intact:
 * a damaged cache file is rebuilt, never trusted.
 */

export type StageStatus = 'built' | 'cached' | 'rebuilt-corrupt' | 'rebuilt-changed';

export interface StageResult {
  table: Table;
  /** Hash of the stage's inputs; downstream stages include it in their own inputs. */
  key: string;
  status: StageStatus;
  path: string;
}

export interface StageSpec {
  runDir: string;
  name: string;
  kind: TableKind;
  /** Everything the stage's output depends on: config values and upstream keys. */
  inputs: unknown;
  build: () => Promise<Table>;
}

interface StageRecord {
  key: string;
  sha256: string;
}

export function hashInputs(inputs: unknown): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
}

function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export async function runStage(spec: StageSpec): Promise<StageResult> {
  const dir = join(spec.runDir, 'stages');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${spec.name}.arrow`);
  const recordPath = join(dir, `${spec.name}.stage.json`);
  const key = hashInputs(spec.inputs);

  let status: StageStatus = 'built';
  if (existsSync(path) && existsSync(recordPath)) {
    const record = readRecord(recordPath);
    if (record?.key !== key) status = 'rebuilt-changed';
    else if (record.sha256 !== fileSha256(path)) status = 'rebuilt-corrupt';
    else {
      try {
        return { table: await readTable(path, { kind: spec.kind }), key, status: 'cached', path };
      } catch {
        status = 'rebuilt-corrupt';
      }
    }
  }

  await rm(recordPath, { force: true });
  const table = await spec.build();
  await writeTable(path, table);
  const record: StageRecord = { key, sha256: fileSha256(path) };
  await writeFileAtomic(recordPath, JSON.stringify(record));
  return { table, key, status, path };
}

function readRecord(path: string): StageRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<StageRecord>;
    return typeof parsed.key === 'string' && typeof parsed.sha256 === 'string' ? (parsed as StageRecord) : undefined;
  } catch {
    return undefined;
  }
}
