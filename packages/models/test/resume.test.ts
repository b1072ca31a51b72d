import { initBackend } from '@seqlearn/backend';
import { describe, expect, it } from 'vitest';
import { tf } from '../src/tf.js';
import {
  captureTraining,
  disposeSnapshot,
  earlyStopping,
  lstm,
  restoreTraining,
  train,
  type EarlyStoppingState,
  type History,
  type TrainCallback,
  type TrainingSnapshot,
} from '../src/index.js';
import { tinyTokens } from './helpers.js';

await initBackend({ backend: 'cpu' });

// Fused LSTM with input and recurrent dropout (masks from the layers' own streams), Adam (whose
// running beta powers tfjs's setWeights would recompute), shuffles, a validation split and
// early stopping that keeps the best weights: every piece of state a resume must carry.
const build = () =>
  lstm({
    maxWords: 40,
    embeddingDim: 6,
    maxlen: 10,
    units: 8,
    dropout: 0.2,
    recurrentDropout: 0.2,
    optimizer: 'adam',
    learningRate: 0.01,
    seed: 7,
  });
const data = tinyTokens(48, 10, 40, 2, 6);
const EPOCHS = 5;
const STOP_AFTER = 2;

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => Float32Array.from(w.dataSync()));
}

async function uninterrupted(compiledStep: boolean): Promise<{ weights: Float32Array[]; history: History }> {
  const model = build();
  const history = await train(model, data, {
    epochs: EPOCHS,
    batchSize: 8,
    validationSplit: 0.25,
    seed: 3,
    compiledStep,
    callbacks: [earlyStopping({ patience: 100, restoreBestWeights: true })],
  });
  const weights = weightsOf(model);
  model.dispose();
  return { weights, history };
}

/** Trains STOP_AFTER epochs and stops as a Ctrl-C would, then resumes in a freshly built model. */
async function interruptedAndResumed(
  compiledStep: boolean,
  restoreStreams: boolean,
): Promise<{ weights: Float32Array[]; history: History }> {
  const first = build();
  const stopper = earlyStopping({ patience: 100, restoreBestWeights: true });
  let snapshot: TrainingSnapshot | undefined;
  let stopperState: EarlyStoppingState | undefined;
  const interrupt: TrainCallback = {
    async onEpochEnd(epoch, _logs, state) {
      if (epoch + 1 < STOP_AFTER) return;
      snapshot = await captureTraining(state.model, epoch + 1);
      stopperState = stopper.getState();
      state.stopTraining = true;
    },
  };
  const opts = { epochs: EPOCHS, batchSize: 8, validationSplit: 0.25, seed: 3, compiledStep };
  const before = await train(first, data, { ...opts, callbacks: [stopper, interrupt] });
  first.dispose();

  const second = build();
  await restoreTraining(second, restoreStreams ? snapshot! : { ...snapshot!, dropoutStreams: {} });
  const resumedStopper = earlyStopping({ patience: 100, restoreBestWeights: true });
  resumedStopper.resumeFrom(stopperState!);
  tf.dispose(stopperState!.bestWeights ?? []);
  const after = await train(second, data, { ...opts, initialEpoch: snapshot!.epoch, callbacks: [resumedStopper] });
  disposeSnapshot(snapshot!);
  const weights = weightsOf(second);
  second.dispose();
  const history: History = {
    ...after,
    epoch: [...before.epoch, ...after.epoch],
    history: Object.fromEntries(Object.keys(after.history).map((k) => [k, [...before.history[k], ...after.history[k]]])),
  };
  return { weights, history };
}

describe('exact resume', () => {
  it.each([{ compiledStep: true }, { compiledStep: false }])(
    'compiledStep $compiledStep: interrupted after 2 of 5 epochs and resumed, the weights and the history are bit-identical to an uninterrupted run',
    async ({ compiledStep }) => {
      const whole = await uninterrupted(compiledStep);
      const resumed = await interruptedAndResumed(compiledStep, true);
      expect(resumed.history.epoch).toEqual([0, 1, 2, 3, 4]);
      expect(resumed.history.history).toEqual(whole.history.history);
      expect(resumed.weights.length).toBe(whole.weights.length);
      resumed.weights.forEach((w, i) => expect(w, `weight ${i}`).toEqual(whole.weights[i]));
    },
  );

  it('without the dropout streams the resumed run differs (the comparison above can fail)', async () => {
    const whole = await uninterrupted(true);
    const resumed = await interruptedAndResumed(true, false);
    expect(resumed.weights.some((w, i) => w.some((v, j) => v !== whole.weights[i][j]))).toBe(true);
  });
});
