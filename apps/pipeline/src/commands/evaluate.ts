import { resolve } from 'node:path';
import type { BackendChoice } from '@seqlearn/backend';
import { labelColumn, textColumn } from '../own-data/summary.js';
import { readCorpus, readSeries, type ColumnFlags } from '../own-data/input.js';
import { forecastErrors, forecastSeries, scoreTexts, seriesConfig, textConfig } from '../own-data/scoring.js';
import { createProgress } from '../progress/progress.js';
import { openBundle } from './bundle-dir.js';
import { say } from './run.js';

export interface EvaluateFlags extends ColumnFlags {
  backend?: BackendChoice;
}

/** `seqlearn evaluate <bundle> <data>`: the bundle's test figure and its baseline, on any labelled file of the same shape. */
export async function evaluateCommand(bundleDir: string, data: string, flags: EvaluateFlags): Promise<void> {
  const bundle = await openBundle(bundleDir, flags.backend);
  const progress = createProgress();
  const path = resolve(data);
  try {
    if (bundle.config.task === 'text') {
      const c = textConfig(bundle);
      const columns = {
        textColumn: flags.textColumn ?? (c.textColumn as string | undefined),
        labelColumn: flags.labelColumn ?? (c.labelColumn as string | undefined),
      };
      const corpus = await readCorpus(path, columns, progress, c.labels);
      const truth = labelColumn(corpus);
      const { label } = await scoreTexts(bundle, textColumn(corpus));
      const correct = truth.filter((t, i) => t === label[i]).length;
      const majority = typeof c.majorityClass === 'number' ? c.majorityClass : 0;
      const baseline = truth.filter((t) => t === majority).length / truth.length;
      say(
        `accuracy ${(correct / truth.length).toFixed(4)} on ${truth.length} rows | majority class ("${c.labels?.[majority] ?? majority}") ${baseline.toFixed(4)}`,
      );
    } else {
      const c = seriesConfig(bundle);
      const table = await readSeries(path, { ...flags, target: flags.target ?? c.target }, progress, {
        categorical: Object.keys(c.categorical ?? {}),
      });
      const errors = forecastErrors(await forecastSeries(bundle, table, path));
      const unit = c.unit ? ` ${c.unit}` : '';
      say(`MAE ${errors.mae.toFixed(4)}${unit} on ${errors.windows} windows | common-sense baseline ${errors.baseline.toFixed(4)}${unit}`);
    }
  } finally {
    bundle.dispose();
  }
}
