import type * as tfjs from '@tensorflow/tfjs';
import type { BundleConfig, History, ModelData, TrainOptions } from '@seqlearn/models';
import type { Tokenizer } from '@seqlearn/text';

/** A run whose data stages are done: what the model stage needs to train, judge and save. */
export interface PreparedRun {
  /** Key of the last data stage: the model stage's key includes it. */
  upstreamKey: string;
  /** Undefined for experiments without a model (the common-sense baseline). */
  buildModel?: () => tfjs.LayersModel;
  data?: ModelData;
  freshData?: () => ModelData;
  trainOptions?: Omit<TrainOptions, 'callbacks' | 'seed'> & { epochs: number };
  tokenizer?: Tokenizer;
  bundleConfig?: BundleConfig;
  /** One line about the data the model sees. */
  describe: string;
  /** The headline number (and a baseline) once training is over. */
  finish(
    model: tfjs.LayersModel | undefined,
    history: History,
  ): Promise<{ value: number; baseline?: { name: string; value: number }; notes: string[] }>;
  /** Files written beside the bundle (e.g. a sample window for `seqlearn predict`). */
  extras?: (runDir: string) => void;
}
