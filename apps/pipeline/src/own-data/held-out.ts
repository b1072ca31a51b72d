import { renameSync, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';

/**
 * Writes rows as CSV (header first) through a temporary file, so a reader never sees half a
 * file. The held-out test rows go out this way: `seqlearn evaluate` and `predict --input` on
 * the file reproduce the run's test figures.
 */
export function writeCsv(path: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  writeFileSync(`${path}.tmp`, stringify([header as string[], ...(rows as (string | number)[][])]));
  renameSync(`${path}.tmp`, path);
}
