import type * as tfjs from '@tensorflow/tfjs';
import {
  bidirectionalGru,
  bidirectionalGruTimeseries,
  bidirectionalLstm,
  conv1dText,
  conv1dTimeseries,
  convGruTimeseries,
  denseTimeseries,
  embeddingFlatten,
  gru,
  gruDropoutTimeseries,
  gruTimeseries,
  lstm,
  simpleRnn,
  stackedGruTimeseries,
} from '@seqlearn/models';
import { UserError } from '../errors.js';
import type { Task } from './input.js';

export interface ClassifierShape {
  numWords: number;
  maxlen: number;
  numClasses: number;
  seed: number;
}

export interface ForecasterShape {
  features: number;
  timesteps: number;
  seed: number;
}

/** The zoo's text classifiers by the names the CLI takes (the builder's own name works too). */
const CLASSIFIERS: Record<string, { builder: string; build: (s: ClassifierShape) => tfjs.LayersModel }> = {
  'embedding-flatten': {
    builder: 'embeddingFlatten',
    build: (s) => embeddingFlatten({ maxWords: s.numWords, maxlen: s.maxlen, numClasses: s.numClasses, seed: s.seed }),
  },
  'simple-rnn': {
    builder: 'simpleRnn',
    build: (s) => simpleRnn({ maxWords: s.numWords, maxlen: s.maxlen, numClasses: s.numClasses, seed: s.seed }),
  },
  lstm: { builder: 'lstm', build: (s) => lstm({ maxWords: s.numWords, maxlen: s.maxlen, numClasses: s.numClasses, seed: s.seed }) },
  gru: { builder: 'gru', build: (s) => gru({ maxWords: s.numWords, maxlen: s.maxlen, numClasses: s.numClasses, seed: s.seed }) },
  'bidirectional-lstm': {
    builder: 'bidirectionalLstm',
    build: (s) => bidirectionalLstm({ maxWords: s.numWords, maxlen: s.maxlen, numClasses: s.numClasses, seed: s.seed }),
  },
  'bidirectional-gru': {
    builder: 'bidirectionalGru',
    build: (s) => bidirectionalGru({ maxWords: s.numWords, maxlen: s.maxlen, numClasses: s.numClasses, seed: s.seed }),
  },
  conv1d: {
    builder: 'conv1dText',
    build: (s) => conv1dText({ maxWords: s.numWords, maxlen: s.maxlen, numClasses: s.numClasses, seed: s.seed }),
  },
};

/** The zoo's forecasters (chapter 6's weather models) by the names the CLI takes. */
const FORECASTERS: Record<string, { builder: string; build: (s: ForecasterShape) => tfjs.LayersModel }> = {
  dense: { builder: 'denseTimeseries', build: (s) => denseTimeseries({ features: s.features, timesteps: s.timesteps, seed: s.seed }) },
  gru: { builder: 'gruTimeseries', build: (s) => gruTimeseries({ features: s.features, seed: s.seed }) },
  'gru-dropout': { builder: 'gruDropoutTimeseries', build: (s) => gruDropoutTimeseries({ features: s.features, seed: s.seed }) },
  'stacked-gru': { builder: 'stackedGruTimeseries', build: (s) => stackedGruTimeseries({ features: s.features, seed: s.seed }) },
  'bidirectional-gru': {
    builder: 'bidirectionalGruTimeseries',
    build: (s) => bidirectionalGruTimeseries({ features: s.features, seed: s.seed }),
  },
  conv1d: { builder: 'conv1dTimeseries', build: (s) => conv1dTimeseries({ features: s.features, timesteps: s.timesteps, seed: s.seed }) },
  'conv-gru': {
    builder: 'convGruTimeseries',
    build: (s) => convGruTimeseries({ features: s.features, timesteps: s.timesteps, seed: s.seed }),
  },
};

/**
 * The models `seqlearn train` picks when none is named. For text, a GRU over a learned
 * embedding: on IMDB and Reuters it beats the convnet and the flat embedding at every size
 * measured (see the app README), and the fused step keeps it fast. For series, the book's
 * GRU (listing 6.39).
 */
export const DEFAULT_MODEL: Record<Task, string> = { classify: 'gru', forecast: 'gru' };

export function modelNames(task: Task): string[] {
  return Object.keys(task === 'classify' ? CLASSIFIERS : FORECASTERS);
}

function lookup<S>(task: Task, name: string, table: Record<string, { builder: string; build: (s: S) => tfjs.LayersModel }>) {
  const entry = table[name] ?? Object.values(table).find((e) => e.builder === name);
  if (entry === undefined)
    throw new UserError(`unknown model "${name}" for --task ${task}; expected one of ${Object.keys(table).join(', ')}`);
  return entry;
}

export function classifierModel(name: string): { builder: string; build: (s: ClassifierShape) => tfjs.LayersModel } {
  return lookup('classify', name, CLASSIFIERS);
}

export function forecasterModel(name: string): { builder: string; build: (s: ForecasterShape) => tfjs.LayersModel } {
  return lookup('forecast', name, FORECASTERS);
}
