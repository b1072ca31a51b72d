export { WindowConfigError, NonFiniteValueError, UnknownColumnError, SeriesInputError } from './errors.js';
export type { FloatArray, ShapedArray, WindowBatch, SeriesArray, SeriesInput, TargetsInput, WindowMemoryOptions } from './types.js';
export type { SeriesSelection } from './series.js';
export {
  fitNormalization,
  normalize,
  denormalize,
  denormalizeValue,
  normalizationOf,
  toNormalizationMeta,
  type NormalizationStats,
  type FitNormalizationOptions,
} from './normalization.js';
export { bookGenerator, BookGenerator, type BookGeneratorOptions } from './bookGenerator.js';
export { TimeseriesGenerator, type TimeseriesGeneratorOptions } from './timeseriesGenerator.js';
export { timeseriesDatasetFromArray, WindowDataset, type TimeseriesDatasetOptions } from './timeseriesDatasetFromArray.js';
export {
  evaluateNaiveMethod,
  evaluateSeasonalNaive,
  type BaselineOptions,
  type NaiveOptions,
  type SeasonalNaiveOptions,
  type BaselineResult,
} from './baselines.js';
export { streamWindows, type StreamWindowsOptions } from './streamWindows.js';
