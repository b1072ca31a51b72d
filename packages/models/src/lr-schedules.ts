// Keras's learning-rate callbacks, ReduceLROnPlateau and LearningRateScheduler, on tfjs's
// optimizers. Both log the rate in effect during the epoch as `learning_rate` (Keras 3's key;
// Keras 2 wrote `lr`), which the history records beside the loss.

import { optimizerLearningRate, setOptimizerLearningRate } from '@seqlearn/backend/internals';
import type { tf } from './tf.js';
import { ModelConfigError } from './errors.js';
import type { TrainCallback, TrainState } from './callbacks.js';
import type { Logs } from './history.js';

/** The optimizer's current learning rate (tfjs keeps it as a number on every built-in optimizer). */
export function learningRateOf(optimizer: tf.Optimizer | undefined, who = 'learning rate'): number {
  const lr = optimizer === undefined ? undefined : optimizerLearningRate(optimizer);
  if (lr === undefined) {
    throw new ModelConfigError(
      `${who}: the model's optimizer (${optimizer?.getClassName() ?? 'none'}) has no numeric learningRate; compile the model with one of tfjs's optimizers`,
    );
  }
  return lr;
}

/** Sets the rate the optimizer's next step uses (SGD and Momentum cache it, hence setLearningRate). */
export function setLearningRate(optimizer: tf.Optimizer | undefined, lr: number, who = 'learning rate'): void {
  learningRateOf(optimizer, who);
  if (optimizer !== undefined) setOptimizerLearningRate(optimizer, lr);
}

const lrLogs = (state: TrainState, who: string): Logs => ({ learning_rate: learningRateOf(state.model.optimizer, who) });

export interface ReduceLROnPlateauOptions {
  /** Default 'val_loss'. */
  monitor?: string;
  /** The rate is multiplied by this (< 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement before the rate drops. Default 10. */
  patience?: number;
  /** 'auto' maximizes a monitor whose name contains 'acc', minimizes any other (as Keras). */
  mode?: 'auto' | 'min' | 'max';
  /** Smallest change that counts as an improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a drop before counting again. Default 0. */
  cooldown?: number;
  /** Floor of the rate. Default 0. */
  minLr?: number;
  /** 1: report each drop through `log` (default console.log). Default 0. */
  verbose?: 0 | 1;
  log?: (line: string) => void;
}

export interface ReduceLROnPlateauState {
  best: number;
  wait: number;
  cooldownCounter: number;
}

/** Keras's ReduceLROnPlateau: multiplies the rate by `factor` when the monitor stops improving. */
export function reduceLROnPlateau(
  opts: ReduceLROnPlateauOptions = {},
): TrainCallback & { getState(): ReduceLROnPlateauState; resumeFrom(state: ReduceLROnPlateauState): void } {
  const who = 'reduceLROnPlateau';
  const monitor = opts.monitor ?? 'val_loss';
  const factor = opts.factor ?? 0.1;
  if (!(factor < 1)) throw new ModelConfigError(`${who}: factor must be below 1 (it multiplies the rate), got ${factor}`);
  const patience = opts.patience ?? 10;
  const minDelta = opts.minDelta ?? 1e-4;
  const cooldown = opts.cooldown ?? 0;
  const minLr = opts.minLr ?? 0;
  const mode = opts.mode ?? 'auto';
  const maximize = mode === 'max' || (mode === 'auto' && monitor.includes('acc'));
  const better = maximize ? (a: number, b: number) => a > b + minDelta : (a: number, b: number) => a < b - minDelta;
  const log = opts.log ?? ((line: string) => console.log(line));
  let best = maximize ? -Infinity : Infinity;
  let wait = 0;
  let cooldownCounter = 0;
  let pending: ReduceLROnPlateauState | undefined;
  return {
    getState: () => ({ best, wait, cooldownCounter }),
    resumeFrom(state) {
      pending = { ...state };
    },
    onTrainBegin() {
      best = pending?.best ?? (maximize ? -Infinity : Infinity);
      wait = pending?.wait ?? 0;
      cooldownCounter = pending?.cooldownCounter ?? 0;
      pending = undefined;
    },
    epochLogs: (_epoch, state) => lrLogs(state, who),
    onEpochEnd(epoch, logs, state) {
      const current = logs[monitor];
      if (current === undefined) {
        throw new ModelConfigError(
          `${who}: monitor '${monitor}' is not in the epoch logs (${Object.keys(logs).join(', ')}); pass validation data or validationSplit, or monitor 'loss'`,
        );
      }
      if (cooldownCounter > 0) {
        cooldownCounter--;
        wait = 0;
      }
      if (better(current, best)) {
        best = current;
        wait = 0;
      } else if (cooldownCounter === 0) {
        // Keras asks whether it is in cooldown again after the countdown above, so the epoch
        // that ends a cooldown already counts toward the patience.
        wait++;
        if (wait >= patience) {
          const old = learningRateOf(state.model.optimizer, who);
          // Keras compares with the floor as float32, as its rate variable is.
          if (old > Math.fround(minLr)) {
            const lr = Math.max(old * factor, minLr);
            setLearningRate(state.model.optimizer, lr, who);
            if (opts.verbose === 1) log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${lr}.`);
            cooldownCounter = cooldown;
            wait = 0;
          }
        }
      }
    },
  };
}

/** Keras's LearningRateScheduler: `schedule(epoch, lr)` (0-based epoch, current rate) sets each epoch's rate. */
export function learningRateScheduler(
  schedule: (epoch: number, lr: number) => number,
  opts: { verbose?: 0 | 1; log?: (line: string) => void } = {},
): TrainCallback {
  const who = 'learningRateScheduler';
  const log = opts.log ?? ((line: string) => console.log(line));
  return {
    onEpochBegin(epoch, state) {
      const lr = schedule(epoch, learningRateOf(state.model.optimizer, who));
      if (typeof lr !== 'number' || !Number.isFinite(lr))
        throw new ModelConfigError(`${who}: the schedule returned ${String(lr)} for epoch ${epoch}; it must return a finite number`);
      setLearningRate(state.model.optimizer, lr, who);
      if (opts.verbose === 1) log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
    },
    epochLogs: (_epoch, state) => lrLogs(state, who),
  };
}
