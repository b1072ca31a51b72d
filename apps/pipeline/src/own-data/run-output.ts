import { join, resolve } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import {
  earlyStopping,
  saveBundle,
  saveHistory,
  type BundleConfig,
  type History,
  type ModelData,
  type TrainOptions,
} from '@seqlearn/models';
import type { Tokenizer } from '@seqlearn/text';
import type { RunContext } from '../pipeline/context.js';
import { clearCheckpoint, resumeInfo, trainWithCheckpoints } from '../pipeline/training.js';
import { writeReport } from '../report/html-report.js';
import { cachedModelResults, recordModelStage, writeJson } from '../stages/model-stage.js';
import type { TrainResults } from './results.js';

export interface TrainOutcome {
  results: TrainResults;
  reportPath: string;
  bundleDir: string;
  cached: boolean;
}

/** A finished run's results, when its model stage is unchanged and intact. */
export async function reuseModelStage(ctx: RunContext, key: string): Promise<TrainOutcome | undefined> {
  const cached = cachedModelResults<TrainResults>(ctx.runDir, key, true);
  if (cached === undefined) return undefined;
  const bundleDir = join(ctx.runDir, 'bundle');
  ctx.say(`model: cached, skipped (inputs unchanged) → ${bundleDir}`);
  return { results: cached, reportPath: resolve(await writeReport(ctx.runDir)), bundleDir, cached: true };
}

/**
 * Trains with checkpoints and Keras's EarlyStopping on the validation loss (the best epoch's
 * weights are put back), so a default epoch count that is too high costs time, not accuracy.
 */
export async function fitWithEarlyStopping(
  ctx: RunContext,
  key: string,
  model: tfjs.LayersModel,
  data: ModelData,
  options: Omit<TrainOptions, 'callbacks' | 'seed'> & { epochs: number },
  patience: number,
): Promise<{ history: History; bestEpoch: number | undefined }> {
  const stopper = earlyStopping({ monitor: 'val_loss', patience, restoreBestWeights: true });
  const history = await trainWithCheckpoints(ctx, { key, model, data, options, stopper });
  if (stopper.stoppedEpoch !== undefined)
    ctx.say(`model: early stopping after epoch ${history.epoch.length}; kept the weights of epoch ${(stopper.bestEpoch ?? 0) + 1}`);
  return { history, bestEpoch: stopper.bestEpoch === undefined ? undefined : stopper.bestEpoch + 1 };
}

export interface RunOutputs {
  key: string;
  model: tfjs.LayersModel;
  bundleConfig: BundleConfig;
  tokenizer?: Tokenizer;
  history: History;
  results: TrainResults;
}

/** History, bundle, results, the model stage's record and the report: what a finished run leaves. */
export async function writeRunOutputs(ctx: RunContext, out: RunOutputs): Promise<TrainOutcome> {
  const resumed = resumeInfo(ctx);
  if (resumed !== undefined) {
    // The earlier attempts' seconds count too: the figure is the whole run's.
    out.results.seconds += resumed.earlierSeconds;
    out.results.resumed = { afterEpoch: resumed.afterEpoch, earlierSeconds: resumed.earlierSeconds };
  }
  await saveHistory(join(ctx.runDir, 'history.full.json'), out.history);
  writeJson(join(ctx.runDir, 'history.json'), out.history.history);
  const bundleDir = join(ctx.runDir, 'bundle');
  await saveBundle(bundleDir, {
    model: out.model,
    config: out.bundleConfig,
    history: out.history,
    ...(out.tokenizer ? { tokenizer: out.tokenizer } : {}),
  });
  writeJson(join(ctx.runDir, 'results.json'), out.results);
  recordModelStage(ctx.runDir, out.key, bundleDir);
  clearCheckpoint(ctx.runDir);
  ctx.say(`model: bundle → ${bundleDir}`);
  const reportPath = resolve(await writeReport(ctx.runDir));
  return { results: out.results, reportPath, bundleDir, cached: false };
}
