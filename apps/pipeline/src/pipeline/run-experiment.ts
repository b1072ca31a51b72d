import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { saveBundle, saveHistory, type History } from '@seqlearn/models';
import type { Experiment } from '../experiments/catalog.js';
import { runConfig, type ProfileName, type RunConfig } from '../experiments/profiles.js';
import { locateWeather } from '../data/locate.js';
import { writeReport, type RunResults } from '../report/html-report.js';
import { cachedModelResults, recordModelStage, writeJson } from '../stages/model-stage.js';
import { hashInputs } from '../stages/stage-cache.js';
import { setActivity } from '../interrupt.js';
import type { RunContext } from './context.js';
import type { PreparedRun } from './prepared.js';
import { prepareText } from './text.js';
import { clearCheckpoint, trainWithCheckpoints } from './training.js';
import { prepareWeather } from './weather.js';

export interface RunOptions {
  profile: ProfileName;
  epochs?: number;
  stepsPerEpoch?: number;
}

export interface RunOutcome {
  results: RunResults;
  reportPath: string;
  bundleDir: string | undefined;
  modelCached: boolean;
}

function applyOverrides(cfg: RunConfig, opts: RunOptions): RunConfig {
  const out = { ...cfg };
  if (opts.epochs !== undefined) out.epochs = opts.epochs;
  if (opts.stepsPerEpoch !== undefined && out.kind === 'series') out.stepsPerEpoch = opts.stepsPerEpoch;
  return out;
}

/** Runs one experiment through its stages into `ctx.runDir`: data stages, the model, the report. */
export async function runExperiment(ctx: RunContext, exp: Experiment, opts: RunOptions): Promise<RunOutcome> {
  const started = performance.now();
  mkdirSync(ctx.runDir, { recursive: true });
  const weather = exp.dataset === 'weather' ? locateWeather(ctx.dataDir).source : undefined;
  const cfg = applyOverrides(runConfig(exp, opts.profile, weather), opts);
  ctx.say(`run: ${exp.id} — ${exp.title}`);
  ctx.say(`     model ${exp.model}, profile ${opts.profile}, seed ${ctx.seed}, backend ${ctx.backend.name}, out ${ctx.runDir}`);

  const isBookData = exp.dataset === 'imdb' || (exp.dataset === 'weather' ? weather === 'jena' : ctx.dataDir !== undefined);
  const prepared: PreparedRun = cfg.kind === 'text' ? await prepareText(ctx, exp, cfg) : await prepareWeather(ctx, exp, cfg);
  ctx.say(`data: ${prepared.describe}`);
  const hasModel = prepared.buildModel !== undefined;
  const modelKey = hashInputs({
    stage: 'model',
    upstream: prepared.upstreamKey,
    model: exp.model,
    experiment: exp.id,
    cfg,
    seed: ctx.seed,
  });

  const cached = cachedModelResults<RunResults>(ctx.runDir, modelKey, hasModel);
  if (cached !== undefined) {
    ctx.say(`model: cached, skipped (inputs unchanged) → ${hasModel ? join(ctx.runDir, 'bundle') : 'no model (baseline)'}`);
    const reportPath = await writeReport(ctx.runDir);
    return { results: cached, reportPath, bundleDir: hasModel ? join(ctx.runDir, 'bundle') : undefined, modelCached: true };
  }

  let history: History = { epoch: [], history: {}, params: { epochs: 0, steps: 0, seed: ctx.seed, metrics: [] } };
  let model;
  if (hasModel) {
    model = prepared.buildModel!();
    ctx.say(`model: training ${model.countParams().toLocaleString('en-US')} parameters for ${cfg.epochs} epochs`);
    setActivity('training the model (finished epochs are checkpointed: rerun to resume)');
    history = await trainWithCheckpoints(ctx, {
      key: modelKey,
      model,
      data: prepared.data!,
      options: prepared.trainOptions!,
      ...(prepared.freshData ? { freshData: prepared.freshData } : {}),
    });
  }
  const outcome = await prepared.finish(model, history);
  const historyPath = join(ctx.runDir, 'history.json');
  // The report charts Keras's `history.history`; the full record (epochs, params) is in the bundle.
  await saveHistory(join(ctx.runDir, 'history.full.json'), history);
  writeJson(historyPath, history.history);
  let bundleDir: string | undefined;
  if (model !== undefined) {
    bundleDir = join(ctx.runDir, 'bundle');
    await saveBundle(bundleDir, {
      model,
      config: prepared.bundleConfig!,
      history,
      ...(prepared.tokenizer ? { tokenizer: prepared.tokenizer } : {}),
    });
  }
  prepared.extras?.(ctx.runDir);
  const results: RunResults = {
    experiment: exp.id,
    title: exp.title,
    dataset: cfg.kind === 'series' ? `${exp.dataset} (${weather})` : exp.dataset,
    model: exp.model,
    profile: opts.profile,
    bookFigure: exp.bookFigure,
    metric: exp.metric,
    value: outcome.value,
    // The book's figure stands beside ours only where the data is the book's.
    ...(exp.bookValue === undefined || !isBookData ? {} : { bookValue: exp.bookValue }),
    ...(outcome.baseline ? { baseline: outcome.baseline } : {}),
    config: { ...cfg },
    seed: ctx.seed,
    backend: ctx.backend.name,
    seconds: (performance.now() - started) / 1000,
    notes: [prepared.describe, ...outcome.notes],
  };
  writeJson(join(ctx.runDir, 'results.json'), results);
  recordModelStage(ctx.runDir, modelKey, bundleDir);
  clearCheckpoint(ctx.runDir);
  if (bundleDir) ctx.say(`model: bundle → ${bundleDir}`);
  const reportPath = await writeReport(ctx.runDir);
  model?.dispose();
  return { results, reportPath: resolve(reportPath), bundleDir, modelCached: false };
}
