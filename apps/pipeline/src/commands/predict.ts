import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { isBundle, loadBundle, type SeriesBundleConfig } from '@seqlearn/models';
import { initBackend, type BackendChoice } from '@seqlearn/backend';
import { UserError } from '../errors.js';

/** A window CSV: a header naming the bundle's features (any order), one row per timestep. */
function readWindow(path: string, config: SeriesBundleConfig): number[][] {
  let records: string[][];
  try {
    records = parse(readFileSync(path, 'utf8'), { skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (e) {
    throw new UserError(`${path} is not a readable CSV (${(e as Error).message})`);
  }
  const [header, ...rows] = records;
  if (header === undefined || rows.length === 0) throw new UserError(`${path} has no rows: expected a header and one row per timestep`);
  const features = config.features ?? header;
  const columns = features.map((f) => header.indexOf(f));
  const missing = features.filter((_, i) => columns[i] < 0);
  if (missing.length > 0) throw new UserError(`${path} lacks the column(s) ${missing.join(', ')}; the bundle's features are ${features.join(', ')}`);
  return rows.map((row, r) =>
    columns.map((c, i) => {
      const v = Number(row[c]);
      if (row[c] === undefined || row[c] === '' || !Number.isFinite(v)) {
        throw new UserError(`${path}, line ${r + 2}, column ${features[i]}: "${row[c] ?? ''}" is not a number`);
      }
      return v;
    }),
  );
}

export async function predictCommand(bundleDir: string, inputs: string[], flags: { backend?: BackendChoice }): Promise<void> {
  const dir = resolve(bundleDir);
  if (!existsSync(dir)) throw new UserError(`bundle ${dir} does not exist`);
  if (!(await isBundle(dir))) throw new UserError(`${dir} is not a bundle (no bundle.json); a run writes its bundle to <run-dir>/bundle`);
  await initBackend(flags.backend === undefined ? {} : { backend: flags.backend });
  const bundle = await loadBundle(dir);
  try {
    const config = bundle.config;
    if (config.task === 'text') {
      for (const p of await bundle.predictText(inputs)) {
        // The probability of the predicted label (a sigmoid head's output is P(label 1)).
        const score = p.scores.length === 1 ? (p.label === 1 ? p.scores[0] : 1 - p.scores[0]) : Math.max(...p.scores);
        process.stdout.write(`${p.labelName ?? p.label}\t${score.toFixed(4)}\t${p.text}\n`);
      }
    } else if (config.task === 'series') {
      for (const input of inputs) {
        if (!existsSync(input) || !statSync(input).isFile()) throw new UserError(`a forecasting bundle takes a CSV window file; ${input} is not a file`);
        const forecast = await bundle.predictSeries(readWindow(input, config));
        const target = config.features?.[config.targetFeature ?? 0] ?? 'target';
        const unit = typeof config.unit === 'string' ? ` ${config.unit}` : '';
        process.stdout.write(`${target} ${String(config.delay ?? '?')} rows after the window: ${forecast.toFixed(2)}${unit}\t${input}\n`);
      }
    } else {
      throw new UserError(`this bundle's model takes ${String(config.input ?? 'prepared vectors')}; predict reads text and series bundles`);
    }
  } finally {
    bundle.dispose();
  }
}
