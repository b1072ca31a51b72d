export {
  SeqlearnError,
  isSeqlearnError,
  OptionError,
  InputError,
  FormatError,
  NotFittedError,
  UnavailableError,
  TokenIdError,
  SchemaError,
  IpcError,
  DatasetError,
  type SeqlearnErrorKind,
  type InputLocation,
} from './errors.js';
export { describeValue } from './describe.js';
export {
  checkTokenId,
  tokenIdError,
  type KerasTokenizerConfig,
  type KerasTokenizerJson,
  type PartialKerasTokenizerJson,
} from './tokens.js';
export type { ShapedFloats, WindowBatch } from './window-batch.js';
export { defaultCacheDir } from './cache-dir.js';
export {
  AtomicFile,
  writeFileAtomic,
  writeFileAtomicSync,
  writeFolderAtomic,
  temporaryPathFor,
  type AtomicWriteOptions,
} from './atomic-write.js';
export { META, TABLE_KINDS, tableKind, readJsonMeta, withMetadata, type TableKind } from './metadata.js';
export { corpusTable, validateCorpus, type CorpusColumns, type CorpusMeta } from './schemas/corpus.js';
export { raggedSequencesTable, paddedSequencesTable, validateSequences, type SequencesMeta } from './schemas/sequences.js';
export { vectorsTable, validateVectors } from './schemas/vectors.js';
export { embeddingsTable, validateEmbeddings, type EmbeddingsInfo } from './schemas/embeddings.js';
export { timeseriesTable, validateTimeseries, featureNames, type TimeseriesInfo, type NormalizationMeta } from './schemas/timeseries.js';
export { validateTable } from './schemas/validate.js';
export { writeTable, writeTableSync, readTable, readTableSync, type ReadTableOptions } from './ipc.js';
export { createRng, shuffledIndices, type Rng } from './random.js';
export { takeRows, contiguous } from './rows.js';
export { shuffleTable, splitByFractions, splitByColumn } from './split.js';
export { stratifiedHoldout, type StratifiedHoldout } from './stratified-split.js';
export { columnValues, timeValues, batches, type Batch, type BatchOptions, type ColumnView, type TypedArray } from './views.js';
export type { NumericArray } from './columns.js';
export {
  recordBatches,
  isRecordBatchSource,
  shuffleBatches,
  rebatch,
  type RecordBatchSource,
  type ShuffleOptions,
} from './batch-stream.js';
export {
  MANIFEST_FILE,
  describeSchema,
  parseManifest,
  type ShardManifest,
  type ShardInfo,
  type ShardFieldInfo,
  type ShardFormat,
} from './shard-manifest.js';
