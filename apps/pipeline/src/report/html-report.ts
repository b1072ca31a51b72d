import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { TrainResults } from '../own-data/results.js';
import { chartedMetrics, metricChartSpec, renderSvg, type History } from './charts.js';
import { trainReportHtml } from './train-report.js';

/** What a run leaves in `results.json`: the headline number beside the book's. */
export interface RunResults {
  experiment: string;
  title: string;
  dataset: string;
  model: string;
  profile: string;
  bookFigure?: string;
  metric: string;
  value: number;
  bookValue?: number;
  baseline?: { name: string; value: number };
  config: Record<string, unknown>;
  seed: number;
  backend: string;
  seconds: number;
  notes?: string[];
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const format = (v: number | undefined) => (v === undefined ? '—' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));

/** A run's JSON file, or a one-line error naming it when it is damaged. */
function readRunJson(path: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`${path} is damaged (${(e as Error).message}); rerun the run to write it again`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UserError(`${path} is damaged: expected a JSON object; rerun the run to write it again`);
  return value;
}

/** Writes `report.html` from `results.json` and `history.json` in `runDir`; returns its path. */
export async function writeReport(runDir: string): Promise<string> {
  const parsed = readRunJson(join(runDir, 'results.json')) as RunResults | TrainResults;
  const history = readRunJson(join(runDir, 'history.json')) as History;
  if ('kind' in parsed && parsed.kind === 'train') return writeHtml(runDir, await trainReportHtml(parsed, history));
  const results = parsed as RunResults;
  const charts: string[] = [];
  for (const metric of chartedMetrics(history)) {
    charts.push(`<figure>${await renderSvg(metricChartSpec(history, metric, `${results.title}: ${metric}`))}</figure>`);
  }
  const rows: [string, string][] = [
    ['dataset', results.dataset],
    ['model', results.model],
    ['profile', results.profile],
    ['backend', results.backend],
    ['seed', String(results.seed)],
    ['time', `${results.seconds.toFixed(1)} s`],
    ['config', `<code>${escapeHtml(JSON.stringify(results.config))}</code>`],
  ];
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(results.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}figure{display:inline-block;margin:1em}code{font-size:12px}</style>
</head><body>
<h1>${escapeHtml(results.title)}</h1>
<table class="result"><tr><th>${escapeHtml(results.metric)}</th><th>this run</th><th>the book${results.bookFigure ? ` (${escapeHtml(results.bookFigure)})` : ''}</th>${results.baseline ? `<th>${escapeHtml(results.baseline.name)}</th>` : ''}</tr>
<tr><td></td><td id="value">${format(results.value)}</td><td id="book-value">${format(results.bookValue)}</td>${results.baseline ? `<td>${format(results.baseline.value)}</td>` : ''}</tr></table>
<section id="charts">${charts.join('\n') || '<p>No per-epoch history for this experiment.</p>'}</section>
<h2>Run</h2><table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${k === 'config' ? v : escapeHtml(v)}</td></tr>`).join('')}</table>
${results.notes?.length ? `<ul>${results.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
  return writeHtml(runDir, html);
}

function writeHtml(runDir: string, html: string): string {
  const path = join(runDir, 'report.html');
  writeFileSync(`${path}.tmp`, html);
  renameSync(`${path}.tmp`, path);
  return path;
}
