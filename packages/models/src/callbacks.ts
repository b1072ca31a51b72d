import { tf } from './tf.js';
import { ModelConfigError } from './errors.js';
import { saveHistory, type History, type Logs } from './history.js';

type Awaitable = void | Promise<void>;

/** What callbacks see of a running `train`. Setting `stopTraining` ends it after the current epoch. */
export interface TrainState {
  model: tf.LayersModel;
  epochs: number;
  steps: number;
  history: History;
  stopTraining: boolean;
}

export interface BatchEndEvent {
  epoch: number;
  /** 0-based batch index within the epoch. */
  batch: number;
  size: number;
  /** This batch's loss and metrics. */
  logs: Logs;
  /** Means over the epoch so far (what Keras's progress bar shows). */
  running: Logs;
}

/** Hooks into the training loop; every hook may be async. */
export interface TrainCallback {
  onTrainBegin?(state: TrainState): Awaitable;
  onEpochBegin?(epoch: number, state: TrainState): Awaitable;
  onBatchEnd?(event: BatchEndEvent, state: TrainState): Awaitable;
  /**
   * Entries this callback adds to the epoch's logs before the history records them and any
   * `onEpochEnd` runs (as Keras's callbacks write `lr` into the logs).
   */
  epochLogs?(epoch: number, state: TrainState): Logs;
  onEpochEnd?(epoch: number, logs: Logs, state: TrainState): Awaitable;
  onTrainEnd?(state: TrainState): Awaitable;
}

export interface ProgressEvent {
  phase: 'batch' | 'epoch';
  epoch: number;
  epochs: number;
  /** Batches done in this epoch (phase 'batch'), or all of them (phase 'epoch'). */
  batch: number;
  batches: number;
  loss: number;
  /** Other metrics: running means for 'batch', the epoch's logs (with val_*) for 'epoch'. */
  metrics: Logs;
  elapsedSeconds: number;
  /** Estimated seconds left in the whole run; undefined until it can be estimated. */
  etaSeconds: number | undefined;
}

/** Progress events for bars and logs: one per batch (every `every` batches) and one per epoch. */
export function progress(onProgress: (event: ProgressEvent) => void, opts: { every?: number } = {}): TrainCallback {
  const every = opts.every ?? 1;
  let started = 0;
  let stepsDone = 0;
  const eta = (state: TrainState, epoch: number, batchInEpoch: number): number | undefined => {
    if (stepsDone === 0 || !Number.isFinite(state.steps)) return undefined;
    const perStep = (performance.now() - started) / 1000 / stepsDone;
    const remaining = (state.epochs - epoch - 1) * state.steps + (state.steps - batchInEpoch);
    return perStep * remaining;
  };
  const split = (logs: Logs): Logs => Object.fromEntries(Object.entries(logs).filter(([k]) => k !== 'loss'));
  return {
    onTrainBegin() {
      started = performance.now();
      stepsDone = 0;
    },
    onBatchEnd(event, state) {
      stepsDone++;
      if ((event.batch + 1) % every !== 0 && event.batch + 1 !== state.steps) return;
      onProgress({
        phase: 'batch',
        epoch: event.epoch,
        epochs: state.epochs,
        batch: event.batch + 1,
        batches: state.steps,
        loss: event.running.loss,
        metrics: split(event.running),
        elapsedSeconds: (performance.now() - started) / 1000,
        etaSeconds: eta(state, event.epoch, event.batch + 1),
      });
    },
    onEpochEnd(epoch, logs, state) {
      onProgress({
        phase: 'epoch',
        epoch,
        epochs: state.epochs,
        batch: state.steps,
        batches: state.steps,
        loss: logs.loss,
        metrics: split(logs),
        elapsedSeconds: (performance.now() - started) / 1000,
        etaSeconds: eta(state, epoch, state.steps),
      });
    },
  };
}

type Mode = 'auto' | 'min' | 'max';

function improves(mode: Mode, monitor: string, minDelta: number): (current: number, best: number) => boolean {
  const max = mode === 'max' || (mode === 'auto' && /acc|auc|precision|recall/i.test(monitor));
  return max ? (c, b) => c - Math.abs(minDelta) > b : (c, b) => c + Math.abs(minDelta) < b;
}

function monitored(logs: Logs, monitor: string, who: string): number {
  const v = logs[monitor];
  if (v === undefined) {
    throw new ModelConfigError(
      `${who}: monitor '${monitor}' is not in the epoch logs (${Object.keys(logs).join(', ')}); pass validation data or validationSplit, or monitor 'loss'`,
    );
  }
  return v;
}

export interface EarlyStoppingOptions {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  mode?: Mode;
  /** Stop unless the monitored value beats this (Keras's `baseline`). */
  baseline?: number;
  /** Put back the weights of the best epoch when training ends. */
  restoreBestWeights?: boolean;
}

/** What an EarlyStopping has seen so far, to carry into a resumed run. */
export interface EarlyStoppingState {
  best: number;
  wait: number;
  bestEpoch: number | undefined;
  /** The best epoch's weights (restoreBestWeights), in `model.getWeights()` order. */
  bestWeights: tf.Tensor[] | undefined;
}

export type EarlyStopping = TrainCallback & {
  readonly bestEpoch: number | undefined;
  readonly stoppedEpoch: number | undefined;
  /** Copies of the state after the last epoch (the caller frees `bestWeights`). */
  getState(): EarlyStoppingState;
  /** Starts the next `train` from this state instead of afresh (for a resumed run). */
  resumeFrom(state: EarlyStoppingState): void;
};

/**
 * Keras's EarlyStopping, with `restoreBestWeights` (which tfjs's own version rejects). The best
 * weights are kept as tensor copies and freed when training ends.
 */
export function earlyStopping(opts: EarlyStoppingOptions = {}): EarlyStopping {
  const monitor = opts.monitor ?? 'val_loss';
  const patience = opts.patience ?? 0;
  const better = improves(opts.mode ?? 'auto', monitor, opts.minDelta ?? 0);
  let best = Number.NaN;
  let wait = 0;
  let bestWeights: tf.Tensor[] | undefined;
  let bestEpoch: number | undefined;
  let stoppedEpoch: number | undefined;
  let lastEpoch = -1;
  let pending: EarlyStoppingState | undefined;
  const free = () => {
    if (bestWeights !== undefined) tf.dispose(bestWeights);
    bestWeights = undefined;
  };
  return {
    get bestEpoch() {
      return bestEpoch;
    },
    get stoppedEpoch() {
      return stoppedEpoch;
    },
    getState() {
      return { best, wait, bestEpoch, bestWeights: bestWeights?.map((w) => w.clone()) };
    },
    resumeFrom(state) {
      pending = { ...state, bestWeights: state.bestWeights?.map((w) => w.clone()) };
    },
    onTrainBegin() {
      free();
      best = pending?.best ?? Number.NaN;
      wait = pending?.wait ?? 0;
      bestEpoch = pending?.bestEpoch;
      bestWeights = pending?.bestWeights;
      stoppedEpoch = undefined;
      pending = undefined;
    },
    onEpochEnd(epoch, logs, state) {
      lastEpoch = epoch;
      const current = monitored(logs, monitor, 'earlyStopping');
      wait++;
      if (Number.isNaN(best) || better(current, best)) {
        best = current;
        bestEpoch = epoch;
        if (opts.restoreBestWeights === true) {
          free();
          bestWeights = state.model.getWeights().map((w) => w.clone());
        }
        if (opts.baseline === undefined || better(current, opts.baseline)) wait = 0;
        return;
      }
      if (wait >= patience && epoch > 0) {
        stoppedEpoch = epoch;
        state.stopTraining = true;
      }
    },
    onTrainEnd(state) {
      if (bestWeights !== undefined && bestEpoch !== lastEpoch) state.model.setWeights(bestWeights);
      free();
    },
  };
}

export interface ModelCheckpointOptions {
  /** Directory to save to; `{epoch}` is replaced by the 1-based epoch number, as in Keras. */
  path: string;
  monitor?: string;
  saveBestOnly?: boolean;
  mode?: Mode;
}

/** Saves the model (model.json + weights.bin via `file://`) after each epoch, or only on improvement. */
export function modelCheckpoint(opts: ModelCheckpointOptions): TrainCallback {
  const monitor = opts.monitor ?? 'val_loss';
  const better = improves(opts.mode ?? 'auto', monitor, 0);
  let best = Number.NaN;
  return {
    onTrainBegin() {
      best = Number.NaN;
    },
    async onEpochEnd(epoch, logs, state) {
      if (opts.saveBestOnly === true) {
        const current = monitored(logs, monitor, 'modelCheckpoint');
        if (!Number.isNaN(best) && !better(current, best)) return;
        best = current;
      }
      const dir = opts.path.replaceAll('{epoch}', String(epoch + 1).padStart(2, '0'));
      await state.model.save(`file://${dir}`);
    },
  };
}

/** Rewrites the history JSON after every epoch, so an interrupted run still leaves its curves. */
export function historyWriter(path: string): TrainCallback {
  return {
    async onEpochEnd(_epoch, _logs, state) {
      await saveHistory(path, state.history);
    },
    async onTrainEnd(state) {
      await saveHistory(path, state.history);
    },
  };
}
