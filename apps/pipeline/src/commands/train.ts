import { existsSync, rmSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { BackendChoice } from '@seqlearn/backend';
import { InterruptedError, UserError } from '../errors.js';
import { chooseTask, dataKind, type ColumnFlags, type Task } from '../own-data/input.js';
import { trainClassifier } from '../own-data/classify.js';
import { trainForecaster } from '../own-data/forecast.js';
import type { TrainOutcome } from '../own-data/run-output.js';
import { during } from '../interrupt.js';
import { checkRunDir } from '../run-dir.js';
import { makeContext, say } from './run.js';

export interface TrainFlags extends ColumnFlags {
  task?: Task;
  model?: string;
  lookback?: number;
  delay?: number;
  step?: number;
  maxWords?: number;
  maxlen?: number;
  epochs?: number;
  batchSize?: number;
  testSplit: number;
  validationSplit: number;
  seed: number;
  out?: string;
  backend?: BackendChoice;
  classWeight?: 'balanced';
}

export function trainSummary(outcome: TrainOutcome): string[] {
  const r = outcome.results;
  const unit = r.unit ? ` ${r.unit}` : '';
  const line =
    'accuracy' in r.test && 'accuracy' in r.baseline
      ? `test: accuracy ${r.test.accuracy.toFixed(4)}${r.test.macroF1 === undefined ? '' : `, macro F1 ${r.test.macroF1.toFixed(4)}`} on ${r.rows.test} held-out rows | ${r.baseline.name} ${r.baseline.accuracy.toFixed(4)}`
      : 'mae' in r.test && 'mae' in r.baseline
        ? `test: MAE ${r.test.mae.toFixed(4)}${unit} on ${r.rows.test} held-out windows | ${r.baseline.name} ${r.baseline.mae.toFixed(4)}${unit}`
        : '';
  return [line, `report: ${outcome.reportPath}`, `bundle: ${outcome.bundleDir}`];
}

/** `seqlearn train <data>`: the user's own file or folder → a trained bundle, a report and held-out test rows. */
export async function trainCommand(data: string, flags: TrainFlags): Promise<void> {
  const path = resolve(data);
  dataKind(path);
  const task = chooseTask(flags.task, flags);
  if (flags.classWeight !== undefined && task !== 'classify')
    throw new UserError('--class-weight weights classes: it applies to --task classify, not forecast');
  const runDir = resolve(flags.out ?? `runs/${basename(path, extname(path))}-${task}`);
  checkRunDir(runDir);
  const fresh = !existsSync(runDir);
  const ctx = await makeContext(runDir, flags, undefined);
  say(`train: ${task} on ${path} (seed ${flags.seed}, backend ${ctx.backend.name}, out ${runDir})`);
  // A signal outside training leaves no fresh run folder behind, unless it holds a checkpoint to resume from.
  const removeFresh = () => {
    if (fresh && !existsSync(join(runDir, 'checkpoint'))) rmSync(runDir, { recursive: true, force: true });
  };
  try {
    const common = {
      data: path,
      columns: flags,
      testSplit: flags.testSplit,
      validationSplit: flags.validationSplit,
      ...pick(flags, ['model', 'epochs', 'batchSize']),
    };
    const outcome = await during(
      `training a ${task === 'classify' ? 'classifier' : 'forecaster'} on ${path}`,
      () =>
        task === 'classify'
          ? trainClassifier(ctx, { ...common, ...pick(flags, ['maxWords', 'maxlen', 'classWeight']) })
          : trainForecaster(ctx, { ...common, ...pick(flags, ['lookback', 'step', 'delay']) }),
      removeFresh,
    );
    for (const line of trainSummary(outcome)) say(line);
  } catch (error) {
    // A run that fails before it finishes leaves nothing behind, unless it can resume from a checkpoint.
    if (fresh && !(error instanceof InterruptedError)) rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out;
}
