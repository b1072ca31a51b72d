import { renameSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { UserError } from '../errors.js';

type Cell = string | number | null;

/**
 * Writes one row per input: CSV or JSON Lines by the output's extension, CSV on stdout when
 * no output is named. A file is written whole or not at all.
 */
export function writePredictions(output: string | undefined, header: readonly string[], rows: readonly Cell[][]): void {
  if (output === undefined) {
    process.stdout.write(stringify([header as string[], ...rows]));
    return;
  }
  const ext = extname(output).toLowerCase();
  let text: string;
  if (ext === '.csv') text = stringify([header as string[], ...rows]);
  else if (ext === '.jsonl' || ext === '.ndjson')
    text = rows.map((r) => JSON.stringify(Object.fromEntries(header.map((h, i) => [h, r[i]])))).join('\n') + '\n';
  else throw new UserError(`--output ${output}: expected a .csv or .jsonl file`);
  writeFileSync(`${output}.tmp`, text);
  renameSync(`${output}.tmp`, output);
}
