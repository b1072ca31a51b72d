import type { TopLevelSpec } from 'vega-lite';
import type { TrainResults } from '../own-data/results.js';
import { chartedMetrics, metricChartSpec, renderSvg, type History } from './charts.js';

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Test rows by true and predicted label: where a classifier goes wrong. */
function confusionSpec(labels: string[], matrix: number[][]): TopLevelSpec {
  const values = matrix.flatMap((row, t) => row.map((count, p) => ({ actual: labels[t], predicted: labels[p], count })));
  const size = Math.min(520, Math.max(160, labels.length * 22));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'confusion matrix (test rows)',
    width: size,
    height: size,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: labels, title: 'predicted' },
      y: { field: 'actual', type: 'nominal', sort: labels, title: 'actual' },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' } } } },
      ...(labels.length <= 12
        ? [{ mark: { type: 'text' as const }, encoding: { text: { field: 'count', type: 'quantitative' as const } } }]
        : []),
    ],
  };
}

/** The first test forecasts over what happened. */
function forecastSpec(f: NonNullable<TrainResults['forecast']>, target: string, unit: string | undefined): TopLevelSpec {
  const values = f.time.flatMap((t, i) => [
    { time: t, value: f.actual[i], series: 'actual' },
    { time: t, value: f.predicted[i], series: 'forecast' },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `forecast vs actual: ${target} (first ${f.time.length} test windows)`,
    width: 760,
    height: 280,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.2 },
    encoding: {
      x: { field: 'time', type: 'temporal', title: 'time of the forecast row', scale: { type: 'utc' } },
      y: { field: 'value', type: 'quantitative', title: unit ? `${target} (${unit})` : target, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['actual', 'forecast'], range: ['#444444', '#d62728'] } },
    },
  };
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));

/** The report of a run on the user's own data: the test figure beside its baseline, the curves and the task's chart. */
export async function trainReportHtml(r: TrainResults, history: History): Promise<string> {
  const figures: string[] = [];
  for (const metric of chartedMetrics(history))
    figures.push(`<figure>${await renderSvg(metricChartSpec(history, metric, `${r.title}: ${metric}`))}</figure>`);
  if (r.confusion)
    figures.push(`<figure id="confusion">${await renderSvg(confusionSpec(r.confusion.labels, r.confusion.matrix))}</figure>`);
  if (r.forecast && r.target) figures.push(`<figure id="forecast">${await renderSvg(forecastSpec(r.forecast, r.target, r.unit))}</figure>`);
  const metric = 'accuracy' in r.test ? 'accuracy' : `MAE${r.unit ? ` (${r.unit})` : ''}`;
  const value = 'accuracy' in r.test ? r.test.accuracy : r.test.mae;
  const baseline = 'accuracy' in r.baseline ? r.baseline.accuracy : r.baseline.mae;
  const rows: [string, string][] = [
    ['data', r.data],
    ['model', `${r.model} (${r.builder})`],
    ['rows', `${r.rows.train} training, ${r.rows.validation} validation, ${r.rows.test} test`],
    ['epochs', `${r.epochs.run}${r.epochs.best === undefined ? '' : `, best ${r.epochs.best}`}`],
    ['backend', r.backend],
    ['seed', String(r.seed)],
    ['time', `${r.seconds.toFixed(1)} s`],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}figure{display:inline-block;margin:1em}code{font-size:12px}</style>
</head><body>
<h1>${escapeHtml(r.title)}</h1>
<table class="result"><tr><th>test ${escapeHtml(metric)}</th><th>this model</th><th>${escapeHtml(r.baseline.name)}</th></tr>
<tr><td></td><td id="value">${fmt(value)}</td><td id="baseline-value">${fmt(baseline)}</td></tr></table>
<section id="charts">${figures.join('\n')}</section>
<h2>Run</h2><table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${escapeHtml(v)}</td></tr>`).join('')}
<tr><th>config</th><td><code>${escapeHtml(JSON.stringify(r.config))}</code></td></tr></table>
<ul>${r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>
</body></html>
`;
}
