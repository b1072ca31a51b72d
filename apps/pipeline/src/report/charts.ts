import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Keras-shaped training history: `loss`, `val_loss`, `acc`, `val_acc`, `mae`, … one value per epoch. */
export type History = Record<string, number[]>;

/** The metric pairs worth a chart: each training metric with its `val_` twin, like the book's figures. */
export function chartedMetrics(history: History): string[] {
  return Object.keys(history).filter((name) => !name.startsWith('val_') && history[name].length > 0);
}

/** One book-style figure: training points and the validation line, over epochs. */
export function metricChartSpec(history: History, metric: string, title: string): TopLevelSpec {
  const rows: { epoch: number; value: number; series: string }[] = [];
  for (const [series, key] of [
    ['training', metric],
    ['validation', `val_${metric}`],
  ] as const) {
    (history[key] ?? []).forEach((value, i) => rows.push({ epoch: i + 1, value, series }));
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 420,
    height: 260,
    data: { values: rows },
    layer: [
      { mark: { type: 'point', filled: true, size: 50 }, transform: [{ filter: "datum.series === 'training'" }] },
      { mark: { type: 'line', strokeWidth: 2 }, transform: [{ filter: "datum.series === 'validation'" }] },
    ],
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: ['training', 'validation'], range: ['#1f77b4', '#d62728'] },
      },
    },
  };
}

/** Renders a Vega-Lite spec to an SVG string in Node (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
