export * from './errors.js';
export type { ReadProgress, ProgressCallback } from './archive.js';
export { readImdb, imdbReviews, imdbTexts, IMDB_LABELS, type ImdbReview, type ImdbOptions, type ImdbSplit } from './imdb.js';
export { parseReutersSgml, type ReutersDocument, type ReutersTextType } from './reuters-sgml.js';
export {
  readReuters,
  reutersDocuments,
  reutersTable,
  NO_TOPIC_LABEL,
  type ReutersOptions,
  type ReutersSourceOptions,
  type ReutersVariant,
} from './reuters.js';
export { KERAS_REUTERS_TOPICS, KERAS_REUTERS_COUNTS } from './keras-reuters-topics.js';
export { readWeatherCsv, type WeatherCsvOptions, type TimeSpec } from './weather-csv.js';
export {
  readSeriesCsv,
  type SeriesCsvOptions,
  type CalendarColumns,
  type MissingReport,
  type GapReport,
  type TimeReport,
} from './series-csv.js';
export { readPrsa, PRSA_COLUMNS, type PrsaOptions } from './prsa.js';
export { readSeattleWeather, SEATTLE_WEATHER_COLUMNS, type SeattleWeatherOptions } from './seattle-weather.js';
export type { MissingPolicy } from './fill-missing.js';
export type { DateFormat } from './time-parse.js';
export { readJenaClimate, JENA_COLUMNS, JENA_ERROR_VALUE, type JenaOptions } from './jena.js';
export { fetchDataset, sha256File, type FetchOptions, type DownloadProgress } from './fetch-dataset.js';
export { DATASETS, type DatasetName, type DatasetSource } from './dataset-catalog.js';
export { defaultCacheDir } from './cache-dir.js';
export { readTextFolder, type TextFolderOptions } from './text-folder.js';
export { readTextTable, type TextTableOptions, type TextTableFormat } from './text-table.js';
export type { DecodingReport } from './decode.js';
export { readReutersJson, REUTERS_JSON_TEST_FROM, type ReutersJsonOptions } from './reuters-json.js';
export { DATASET_FILE_NAMES, findDatasetFile, type DatasetFileKey } from './dataset-files.js';
