import type * as tfjs from '@tensorflow/tfjs';
import { train, type EarlyStopping, type History, type ModelData, type TrainCallback, type TrainOptions } from '@seqlearn/models';
import { InterruptedError } from '../errors.js';
import type { ProgressTask } from '../progress/progress.js';
import { clearCheckpoint, loadCheckpoint, recordCheckpointSeconds, saveCheckpoint } from './checkpoint.js';
import type { RunContext } from './context.js';

export interface TrainRequest {
  /** The model stage's key: a checkpoint is resumed only when it was written under the same key. */
  key: string;
  model: tfjs.LayersModel;
  data: ModelData;
  options: Omit<TrainOptions, 'callbacks' | 'seed'> & { epochs: number };
  /** A fresh training generator for a resumed run (endless generators cannot be rewound). */
  freshData?: () => ModelData;
  /** Callbacks that run beside the checkpointing one. */
  callbacks?: TrainCallback[];
  /** An early stopping whose state (best weights included) the checkpoint carries. */
  stopper?: EarlyStopping;
}

/** A run that went on from a checkpoint: after which epoch, and the seconds the earlier attempts took. */
export interface ResumeInfo {
  afterEpoch: number;
  earlierSeconds: number;
}

const resumes = new WeakMap<RunContext, ResumeInfo>();

/** Set when this run resumed from a checkpoint (results.json records it and counts its time). */
export function resumeInfo(ctx: RunContext): ResumeInfo | undefined {
  return resumes.get(ctx);
}

/** Seconds this process has run: performance.now() counts from its start. */
const processSeconds = () => performance.now() / 1000;

const fmt = (logs: Record<string, number>) =>
  Object.entries(logs)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(' ');

/** Yields to the event loop so a Ctrl-C can be noticed between batches (tfjs's cpu work is synchronous). */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Trains with a checkpoint after every epoch and Ctrl-C handling: the first SIGINT stops at the
 * next batch and exits 130 with the finished epochs checkpointed; a rerun resumes after the
 * last finished epoch with the weights, optimizer state, dropout streams, early-stopping state
 * and history it had, and each epoch's shuffle comes from (seed, epoch): for tables, the run
 * ends with the weights an uninterrupted one would have had.
 */
export async function trainWithCheckpoints(ctx: RunContext, req: TrainRequest): Promise<History> {
  const { tf } = ctx.backend;
  const total = req.options.epochs;
  let done = 0;
  let earlier: History | undefined;
  let earlierSeconds = 0;
  const lookup = loadCheckpoint(ctx.runDir, req.key);
  if (lookup.found !== undefined && lookup.found.epochsDone < total) {
    await lookup.found.restore(req.model, tf);
    done = lookup.found.epochsDone;
    earlier = lookup.found.history;
    earlierSeconds = lookup.found.seconds;
    const stopperState = lookup.found.stopper(tf);
    if (stopperState !== undefined && req.stopper !== undefined) {
      req.stopper.resumeFrom(stopperState);
      tf.dispose(stopperState.bestWeights ?? []);
    }
    resumes.set(ctx, { afterEpoch: done, earlierSeconds });
    ctx.say(`model: resuming from the checkpoint after epoch ${done}/${total}`);
  } else if (lookup.found === undefined && lookup.reason !== undefined) {
    ctx.say(`model: ${lookup.reason}; training from the start`);
  }
  if (done > 0 && req.freshData !== undefined) req.data = req.freshData();

  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
  };
  process.on('SIGINT', onSigint);

  let task: ProgressTask | undefined;
  let epochStarted = 0;
  let merged: History | undefined;
  // train() numbers the resumed epochs from initialEpoch, so the two histories just concatenate.
  const merge = (h: History): History => ({
    ...h,
    epoch: [...(earlier?.epoch ?? []), ...h.epoch],
    history: Object.fromEntries(
      [...new Set([...Object.keys(earlier?.history ?? {}), ...Object.keys(h.history)])].map((k) => [
        k,
        [...(earlier?.history[k] ?? []), ...(h.history[k] ?? [])],
      ]),
    ),
    params: { ...h.params, epochs: total },
  });
  const callback: TrainCallback = {
    onEpochBegin(epoch, state) {
      epochStarted = performance.now();
      task = ctx.progress.task(`epoch ${epoch + 1}/${total}`, state.steps, 'batches');
    },
    async onBatchEnd(event, state) {
      task?.update(event.batch + 1, fmt(event.running));
      await tick();
      if (interrupted) {
        task?.finish('interrupted');
        const kept = event.epoch;
        if (kept > 0) await recordCheckpointSeconds(ctx.runDir, earlierSeconds + processSeconds());
        throw new InterruptedError(
          `interrupted — rerun to resume (${kept === 0 ? 'no epoch had finished' : `epochs 1–${kept} of ${total} are checkpointed`} in ${ctx.runDir})`,
        );
      }
      void state;
    },
    async onEpochEnd(epoch, logs, state) {
      // The epoch's summary line below says it all; the bar only has to go.
      task?.close();
      ctx.progress.log(`epoch ${epoch + 1}/${total}: ${fmt(logs)} (${((performance.now() - epochStarted) / 1000).toFixed(1)} s)`);
      merged = merge(state.history);
      // The stopper runs before this callback: its state already counts this epoch.
      const stopperState = req.stopper?.getState();
      try {
        await saveCheckpoint(ctx.runDir, req.key, epoch + 1, merged, state.model, {
          stopper: stopperState,
          seconds: earlierSeconds + processSeconds(),
        });
      } finally {
        tf.dispose(stopperState?.bestWeights ?? []);
      }
      if (interrupted) {
        throw new InterruptedError(`interrupted — rerun to resume (epochs 1–${epoch + 1} of ${total} are checkpointed in ${ctx.runDir})`);
      }
    },
  };
  try {
    if (done >= total && earlier !== undefined) return earlier;
    const history = await train(req.model, req.data, {
      ...req.options,
      epochs: total,
      initialEpoch: done,
      seed: ctx.seed,
      callbacks: [...(req.stopper === undefined ? [] : [req.stopper]), callback, ...(req.callbacks ?? [])],
    });
    return merge(history);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export { clearCheckpoint };
