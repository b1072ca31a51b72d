export {
  VectorsInputError,
  VectorsFormatError,
  VectorsArchiveError,
  UnknownWordError,
  VectorsOptionError,
  type VectorsLocation,
} from './errors.js';
export { readWordVectors, parseWordVectors, type ReadVectorsOptions, type VectorsFormat, type VectorsProgress } from './read-vectors.js';
export { WordVectors, type NearestOptions } from './word-vectors.js';
export type { Neighbor } from './similarity.js';
export type { Vocabulary } from './vocabulary.js';
export { embeddingMatrix, type EmbeddingMatrix, type EmbeddingMatrixOptions, type WordIndex } from './embedding-matrix.js';
export { toEmbeddingsTable, fromEmbeddingsTable } from './arrow-table.js';
export {
  loadWordVectors,
  readVectorsCache,
  writeVectorsCache,
  defaultVectorsCacheDir,
  defaultCacheDir,
  CACHE_KEY_META,
  type LoadVectorsOptions,
  type LoadedVectors,
} from './cache.js';
