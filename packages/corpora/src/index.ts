export * from './errors.js';
export type { ReadProgress, ProgressCallback } from './archive.js';
export { readImdb, imdbReviews, IMDB_LABELS, type ImdbReview, type ImdbOptions, type ImdbSplit } from './imdb.js';
export { parseReutersSgml, type ReutersDocument, type ReutersTextType } from './reuters-sgml.js';
export { readReuters, reutersDocuments, reutersTable, NO_TOPIC_LABEL, type ReutersOptions, type ReutersSourceOptions, type ReutersVariant } from './reuters.js';
export { KERAS_REUTERS_TOPICS, KERAS_REUTERS_COUNTS } from './keras-reuters-topics.js';
