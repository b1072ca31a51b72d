import type { Experiment } from './catalog.js';

/**
 * How big a run is. `book` is the book's configuration; `quick` keeps the book's model and data
 * but trims epochs, sequence length or samples so a run takes a minute or two on 2 cores;
 * `tiny` is a smoke run for tests.
 */
export type ProfileName = 'tiny' | 'quick' | 'book';
export const PROFILES: readonly ProfileName[] = ['tiny', 'quick', 'book'];

export interface TextConfig {
  kind: 'text';
  maxWords: number;
  maxlen: number;
  truncating: 'pre' | 'post';
  epochs: number;
  batchSize: number;
  /** Training rows used (a seeded sample of the training split); undefined = all. */
  trainSamples?: number;
  /** Held out from the training rows, Keras's validation_split; 0 = validate on the test rows. */
  validationSplit: number;
  /** Fixed-size validation set taken after the training samples (the GloVe listings). */
  validationSamples?: number;
  /** Test rows evaluated at the end (a seeded sample); undefined = all. */
  testSamples?: number;
  /** Hashed multi-hot width, for the one-hot experiment. */
  hashDim?: number;
  learningRate?: number;
  recurrentImpl?: 'fused' | 'stock';
}

export interface SeriesConfig {
  kind: 'series';
  lookback: number;
  step: number;
  delay: number;
  batchSize: number;
  stepsPerEpoch: number;
  epochs: number;
  /** Validation batches (capped to what the validation rows hold). */
  valSteps?: number;
  recurrentImpl?: 'fused' | 'stock';
}

export type RunConfig = TextConfig | SeriesConfig;

const text = (c: Partial<TextConfig>): TextConfig => ({
  kind: 'text',
  maxWords: 10000,
  maxlen: 500,
  truncating: 'pre',
  epochs: 10,
  batchSize: 128,
  validationSplit: 0.2,
  ...c,
});

/** Recurrent IMDB models (listings 6.22, 6.27, 6.43): 10,000 words, 500 per review, batch 128, 10 epochs. */
const imdbRecurrent = {
  book: text({ recurrentImpl: 'fused' }),
  quick: text({ maxlen: 100, trainSamples: 5000, epochs: 2, testSamples: 2500, recurrentImpl: 'fused' }),
  tiny: text({ maxWords: 2000, maxlen: 40, trainSamples: 400, epochs: 1, testSamples: 200, recurrentImpl: 'fused' }),
};

// Validation comes from the training wires (Keras's validation_split), never from the test wires.
const reutersText = {
  book: text({ maxlen: 100, truncating: 'post', batchSize: 64, epochs: 10, validationSplit: 0.2, recurrentImpl: 'fused' }),
  quick: text({ maxWords: 2000, maxlen: 50, truncating: 'post', batchSize: 64, epochs: 4, validationSplit: 0.2, recurrentImpl: 'fused' }),
  tiny: text({
    maxWords: 2000,
    maxlen: 30,
    truncating: 'post',
    batchSize: 64,
    epochs: 2,
    trainSamples: 800,
    testSamples: 300,
    validationSplit: 0.2,
    recurrentImpl: 'fused',
  }),
};

const glove = {
  book: text({ maxlen: 100, batchSize: 32, epochs: 10, trainSamples: 200, validationSplit: 0, validationSamples: 10000 }),
  quick: text({
    maxlen: 100,
    batchSize: 32,
    epochs: 10,
    trainSamples: 200,
    validationSplit: 0,
    validationSamples: 2000,
    testSamples: 5000,
  }),
  tiny: text({
    maxWords: 2000,
    maxlen: 40,
    batchSize: 32,
    epochs: 2,
    trainSamples: 200,
    validationSplit: 0,
    validationSamples: 200,
    testSamples: 200,
  }),
};

// Book-sized weather runs use the book's schedule (500 steps, 20 epochs). On Jena the book's
// 10 days every hour, 24 h ahead; PRSA is hourly, so the same span is lookback 240, step 1.
const series = (c: Partial<SeriesConfig>): SeriesConfig => ({
  kind: 'series',
  lookback: 240,
  step: 1,
  delay: 24,
  batchSize: 128,
  stepsPerEpoch: 500,
  epochs: 20,
  ...c,
});

const CONFIGS: Record<string, Record<ProfileName, RunConfig>> = {
  'imdb-one-hot': {
    book: text({ hashDim: 1000, batchSize: 512, epochs: 4, validationSplit: 0.2 }),
    quick: text({ hashDim: 1000, batchSize: 512, epochs: 4, trainSamples: 10000, testSamples: 5000 }),
    tiny: text({ hashDim: 256, batchSize: 64, epochs: 1, trainSamples: 400, testSamples: 200 }),
  },
  'imdb-embedding-flatten': {
    book: text({ maxlen: 20, batchSize: 32, epochs: 10 }),
    quick: text({ maxlen: 20, batchSize: 32, epochs: 3, testSamples: 5000 }),
    tiny: text({ maxWords: 2000, maxlen: 20, batchSize: 32, epochs: 2, trainSamples: 1000, testSamples: 200 }),
  },
  'imdb-glove-frozen': glove,
  'imdb-glove-unfrozen': glove,
  'imdb-simple-rnn': imdbRecurrent,
  'imdb-lstm': imdbRecurrent,
  'imdb-gru': imdbRecurrent,
  'imdb-bidirectional-lstm': imdbRecurrent,
  'imdb-conv1d': {
    book: text({ maxlen: 500, batchSize: 128, epochs: 10, learningRate: 1e-4 }),
    quick: text({ maxlen: 200, batchSize: 128, epochs: 3, trainSamples: 5000, testSamples: 2500, learningRate: 1e-4 }),
    tiny: text({ maxWords: 2000, maxlen: 80, batchSize: 64, epochs: 1, trainSamples: 400, testSamples: 200, learningRate: 1e-4 }),
  },
  'reuters-simple-rnn': reutersText,
  'reuters-lstm-dropout': reutersText,
  'reuters-bidirectional-lstm': reutersText,
};

const WEATHER: Record<ProfileName, SeriesConfig> = {
  book: series({}),
  quick: series({ lookback: 120, step: 3, stepsPerEpoch: 60, epochs: 5, valSteps: 30, recurrentImpl: 'fused' }),
  tiny: series({ lookback: 48, step: 6, stepsPerEpoch: 4, epochs: 2, batchSize: 32, valSteps: 3, recurrentImpl: 'fused' }),
};

/**
 * Seattle's series is daily, four years long: two weeks back, one day (24 h) ahead, and the
 * whole training range every epoch at most.
 */
const SEATTLE: Record<ProfileName, SeriesConfig> = {
  book: series({ lookback: 14, step: 1, delay: 1, batchSize: 32, stepsPerEpoch: 22, epochs: 40, recurrentImpl: 'fused' }),
  quick: series({ lookback: 14, step: 1, delay: 1, batchSize: 32, stepsPerEpoch: 22, epochs: 20, recurrentImpl: 'fused' }),
  tiny: series({ lookback: 7, step: 1, delay: 1, batchSize: 16, stepsPerEpoch: 4, epochs: 2, valSteps: 3, recurrentImpl: 'fused' }),
};

/** Jena (10-minute rows): the book's listing 6.33 settings. */
const JENA: Record<ProfileName, SeriesConfig> = {
  book: series({ lookback: 1440, step: 6, delay: 144 }),
  quick: series({ lookback: 720, step: 6, delay: 144, stepsPerEpoch: 60, epochs: 5, valSteps: 30, recurrentImpl: 'fused' }),
  tiny: series({ lookback: 288, step: 12, delay: 144, stepsPerEpoch: 4, epochs: 2, batchSize: 32, valSteps: 3, recurrentImpl: 'fused' }),
};

export type WeatherSource = 'seattle' | 'prsa' | 'jena';

/**
 * Windows the convolution stacks need: three Conv1D(5) with two MaxPool(3) between them
 * (listing 6.47), or Conv1D(5) → MaxPool(3) → Conv1D(5) (listing 6.49), must leave at least
 * one step. Shorter windows get a longer lookback at the same step.
 */
const MIN_TIMESTEPS: Record<string, number> = { 'weather-conv1d': 64, 'weather-conv-gru': 20 };

export function runConfig(experiment: Experiment, profile: ProfileName, weather: WeatherSource = 'prsa'): RunConfig {
  if (experiment.dataset === 'weather') {
    const table = weather === 'seattle' ? SEATTLE : weather === 'jena' ? JENA : WEATHER;
    const cfg = { ...table[profile] };
    const min = MIN_TIMESTEPS[experiment.id];
    if (min !== undefined && cfg.lookback / cfg.step < min) cfg.lookback = cfg.step * min;
    return cfg;
  }
  const configs = CONFIGS[experiment.id];
  if (configs === undefined) throw new Error(`no configuration for experiment ${experiment.id}`);
  return { ...configs[profile] };
}
