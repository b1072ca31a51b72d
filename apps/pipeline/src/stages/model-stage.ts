import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The model stage of a run: its key (the data stages' keys, the model and its settings) and
 * the sha256 of the bundle manifest it wrote. A rerun skips training only when both match.
 */
interface ModelRecord {
  key: string;
  bundleSha256: string | null;
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

export function writeJson(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** The run's results when its model stage was built under `key` and its bundle is intact. */
export function cachedModelResults<T>(runDir: string, key: string, hasModel: boolean): T | undefined {
  const recordPath = join(runDir, 'stages', 'model.stage.json');
  const resultsPath = join(runDir, 'results.json');
  if (!existsSync(recordPath) || !existsSync(resultsPath) || !existsSync(join(runDir, 'history.json'))) return undefined;
  try {
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as ModelRecord;
    if (record.key !== key) return undefined;
    if (hasModel) {
      const manifest = join(runDir, 'bundle', 'bundle.json');
      if (!existsSync(manifest) || record.bundleSha256 !== sha256(manifest)) return undefined;
    }
    return JSON.parse(readFileSync(resultsPath, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function recordModelStage(runDir: string, key: string, bundleDir: string | undefined): void {
  writeJson(join(runDir, 'stages', 'model.stage.json'), { key, bundleSha256: bundleDir ? sha256(join(bundleDir, 'bundle.json')) : null } satisfies ModelRecord);
}
