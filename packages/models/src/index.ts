export {
  ModelsError,
  InputShapeError,
  LabelRangeError,
  EmptyDatasetError,
  BundleVersionError,
  BundleCorruptError,
  ModelConfigError,
} from './errors.js';
export type { CommonOptions, ClassifierHeadOptions, HeadKind, OptimizerName, RecurrentImpl } from './zoo/common.js';
export {
  registerFusedRecurrent,
  hasFusedRecurrent,
  type RecurrentFactory,
  type RecurrentKind,
  type RecurrentSpec,
} from './zoo/recurrent.js';
export {
  embeddingFlatten,
  pretrainedEmbeddingFlatten,
  simpleRnn,
  stackedSimpleRnn,
  lstm,
  gru,
  bidirectionalLstm,
  bidirectionalGru,
  conv1dText,
  reutersSimpleRnn,
  reutersLstm,
  reutersBidirectionalLstm,
  type TextModelOptions,
  type PretrainedEmbeddingOptions,
  type RecurrentTextOptions,
  type StackedTextOptions,
  type Conv1dTextOptions,
} from './zoo/text-models.js';
export {
  denseTimeseries,
  gruTimeseries,
  gruDropoutTimeseries,
  stackedGruTimeseries,
  bidirectionalGruTimeseries,
  conv1dTimeseries,
  convGruTimeseries,
  type TimeseriesModelOptions,
  type RecurrentTimeseriesOptions,
  type StackedGruTimeseriesOptions,
  type ConvTimeseriesOptions,
  type ConvGruTimeseriesOptions,
} from './zoo/timeseries-models.js';
export type { ModelData, WindowBatch, IndexedBatches, ShapedFloats } from './data/types.js';
export type { RecordBatchDataset } from './data/stream-feed.js';
export { modelSignature, type ModelSignature } from './data/check.js';
export {
  compileTrainStep,
  trainStepSupport,
  type CompiledTrainStep,
  type CompileTrainStepOptions,
  type TrainStepSupport,
  type EmbeddingConvPath,
} from './step/compiled-step.js';
export { compilePredict, planPredict, type CompiledPredict, type CompilePredictOptions } from './step/compiled-predict.js';
export { train, evaluate, predict, type TrainOptions, type EvaluateOptions, type Predictions } from './train.js';
export {
  progress,
  earlyStopping,
  modelCheckpoint,
  historyWriter,
  type TrainCallback,
  type TrainState,
  type BatchEndEvent,
  type ProgressEvent,
  type EarlyStoppingOptions,
  type EarlyStopping,
  type EarlyStoppingState,
  type ModelCheckpointOptions,
} from './callbacks.js';
export {
  reduceLROnPlateau,
  learningRateScheduler,
  learningRateOf,
  setLearningRate,
  type ReduceLROnPlateauOptions,
  type ReduceLROnPlateauState,
} from './lr-schedules.js';
export { csvLogger, type CsvLoggerOptions } from './csv-logger.js';
export { summary, summaryLines } from './summary.js';
export { balancedClassWeight, type ClassWeight } from './sample-weights.js';
export {
  captureTraining,
  restoreTraining,
  disposeSnapshot,
  dropoutStreams,
  restoreDropoutStreams,
  type TrainingSnapshot,
} from './training-state.js';
export { saveHistory, type History, type Logs } from './history.js';
export {
  saveBundle,
  loadBundle,
  isBundle,
  BUNDLE_FORMAT_VERSION,
  type BundleConfig,
  type TextBundleConfig,
  type SeriesBundleConfig,
  type OtherBundleConfig,
  type BundleContents,
  type LoadedBundle,
  type TextPrediction,
  type SeriesWindow,
} from './bundle.js';
export {
  FusedLSTM,
  FusedGRU,
  FusedSimpleRNN,
  FusedBidirectional,
  fusedLstm,
  fusedGru,
  fusedSimpleRNN,
  fusedBidirectional,
  fusedCellOf,
  type FusedLSTMArgs,
  type FusedGRUArgs,
  type FusedSimpleRNNArgs,
  type FusedRecurrentArgs,
} from './layers/fused-layers.js';
export { fusedLoadRefusal, type StockFallback } from './layers/fused-serialization.js';
export { loadModel, type LoadModelOptions } from './load-model.js';
