import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The model stage of a run: its key (the data stages' keys, the model and its settings) and
 * a sha256 over every file of the bundle it wrote (names and bytes). A rerun skips training
 * only when both match: a changed `weights.bin` is as much a changed bundle as a changed manifest.
 */
interface ModelRecord {
  key: string;
  bundleSha256: string | null;
}

/** sha256 over the relative path and bytes of every file under `dir`, in a fixed order. */
export function bundleSha256(dir: string): string {
  const hash = createHash('sha256');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
  for (const file of files) {
    const bytes = readFileSync(join(dir, file));
    hash.update(`${file}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

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
      const bundle = join(runDir, 'bundle');
      if (!existsSync(join(bundle, 'bundle.json')) || record.bundleSha256 !== bundleSha256(bundle)) return undefined;
    }
    return JSON.parse(readFileSync(resultsPath, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function recordModelStage(runDir: string, key: string, bundleDir: string | undefined): void {
  writeJson(join(runDir, 'stages', 'model.stage.json'), {
    key,
    bundleSha256: bundleDir ? bundleSha256(bundleDir) : null,
  } satisfies ModelRecord);
}
