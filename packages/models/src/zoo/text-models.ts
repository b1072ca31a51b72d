import { tf } from '../tf.js';
import { ModelConfigError } from '../errors.js';
import {
  DEFAULT_RECURRENT_IMPL,
  InitFactory,
  classifierHead,
  compileFor,
  headKindFor,
  requirePositiveInt,
  requireRate,
  type ClassifierHeadOptions,
  type CommonOptions,
  type CompileDefaults,
} from './common.js';
import { recurrentLayer, type RecurrentKind } from './recurrent.js';
import { fusedBidirectional } from '../layers/fused-bidirectional.js';

/** Options shared by the text classifiers: an Embedding over `numWords` token ids, then a head. */
export interface TextModelOptions extends CommonOptions, ClassifierHeadOptions {
  /** Vocabulary size, as the Tokenizer's `numWords`: the Embedding's input dimension (token ids must be < numWords). Default 10000. */
  numWords?: number;
  /** @deprecated Use `numWords`; this alias goes in the next minor release. */
  maxWords?: number;
  embeddingDim?: number;
  /** Sequence length the model accepts; `null` accepts any length (recurrent models only). */
  maxlen?: number | null;
}

export interface RecurrentTextOptions extends TextModelOptions {
  units?: number;
  dropout?: number;
  recurrentDropout?: number;
  /**
   * Keras's `mask_zero`: token id 0 is padding, and the recurrent layers skip it (the state is
   * carried over padded steps, which get no gradient). Default false, as in the book.
   */
  maskZero?: boolean;
  /** GRU models only: Keras's `reset_after` (tf.keras 2's default). Default false, as in the book and tfjs. */
  resetAfter?: boolean;
}

/** `numWords`, or its deprecated alias `maxWords`; 10000 (the book's) when neither is given. */
function numWordsOf(opts: TextModelOptions): number {
  if (opts.numWords !== undefined && opts.maxWords !== undefined && opts.numWords !== opts.maxWords) {
    throw new ModelConfigError(
      `numWords (${opts.numWords}) and its deprecated alias maxWords (${opts.maxWords}) disagree; pass numWords only`,
    );
  }
  return opts.numWords ?? opts.maxWords ?? 10000;
}

function embedding(numWords: number, embeddingDim: number, maxlen: number | null, init: InitFactory, maskZero = false): tf.layers.Layer {
  requirePositiveInt('numWords', numWords);
  requirePositiveInt('embeddingDim', embeddingDim);
  if (maxlen !== null) requirePositiveInt('maxlen', maxlen);
  return tf.layers.embedding({
    inputDim: numWords,
    outputDim: embeddingDim,
    inputLength: maxlen ?? undefined,
    embeddingsInitializer: init.embeddingUniform(),
    maskZero,
    name: 'embedding',
  });
}

function finish(name: string, layers: tf.layers.Layer[], opts: TextModelOptions, defaults: CompileDefaults): tf.Sequential {
  const model = tf.sequential({ name, layers });
  compileFor(model, headKindFor(opts.numClasses ?? 2), opts, defaults);
  return model;
}

const RMSPROP: CompileDefaults = { optimizer: 'rmsprop', learningRate: 0.001 };

/** Listing 6.7: Embedding(10000, 8, input_length=20) → Flatten → Dense(1, sigmoid), rmsprop. */
export function embeddingFlatten(opts: TextModelOptions = {}): tf.Sequential {
  const init = new InitFactory(opts.seed);
  const maxlen = opts.maxlen ?? 20;
  return finish(
    'embeddingFlatten',
    [embedding(numWordsOf(opts), opts.embeddingDim ?? 8, maxlen, init), tf.layers.flatten(), classifierHead(opts.numClasses ?? 2, init)],
    opts,
    RMSPROP,
  );
}

export interface PretrainedEmbeddingOptions extends TextModelOptions {
  /**
   * The `(numWords, embeddingDim)` matrix, row-major (e.g. from @seqlearn/glove `embeddingMatrix`).
   * Without it the embedding is learned from scratch, the book's comparison run.
   */
  embeddingMatrix?: Float32Array;
  /** Freeze the embedding (the book's choice with GloVe). Defaults to true with a matrix, false without. */
  trainableEmbedding?: boolean;
  hiddenUnits?: number;
}

/** Listings 6.12–6.13: Embedding(10000, 100, input_length=100) → Flatten → Dense(32, relu) → Dense(1, sigmoid). */
export function pretrainedEmbeddingFlatten(opts: PretrainedEmbeddingOptions = {}): tf.Sequential {
  const init = new InitFactory(opts.seed);
  const numWords = numWordsOf(opts);
  const embeddingDim = opts.embeddingDim ?? 100;
  const maxlen = opts.maxlen ?? 100;
  const emb = embedding(numWords, embeddingDim, maxlen, init);
  const model = finish(
    'pretrainedEmbeddingFlatten',
    [
      emb,
      tf.layers.flatten(),
      tf.layers.dense({ units: opts.hiddenUnits ?? 32, activation: 'relu', kernelInitializer: init.glorotUniform() }),
      classifierHead(opts.numClasses ?? 2, init),
    ],
    { ...opts, compile: false },
    RMSPROP,
  );
  if (opts.embeddingMatrix !== undefined) {
    if (opts.embeddingMatrix.length !== numWords * embeddingDim) {
      throw new ModelConfigError(
        `embeddingMatrix has ${opts.embeddingMatrix.length} values; expected numWords × embeddingDim = ${numWords} × ${embeddingDim} = ${numWords * embeddingDim}`,
      );
    }
    const matrix = tf.tensor2d(opts.embeddingMatrix, [numWords, embeddingDim]);
    emb.setWeights([matrix]);
    matrix.dispose();
  }
  // Freezing must happen before compile, as in the book, so the optimizer skips the layer.
  emb.trainable = opts.trainableEmbedding ?? opts.embeddingMatrix === undefined;
  compileFor(model, headKindFor(opts.numClasses ?? 2), opts, RMSPROP);
  return model;
}

function recurrentText(
  name: string,
  kind: RecurrentKind,
  opts: RecurrentTextOptions,
  shape: { depth: number; bidirectional: boolean },
  defaults: CompileDefaults,
  embeddingDimDefault = 32,
): tf.Sequential {
  const init = new InitFactory(opts.seed);
  const impl = opts.recurrentImpl ?? DEFAULT_RECURRENT_IMPL;
  const units = requirePositiveInt('units', opts.units ?? 32);
  const dropout = requireRate('dropout', opts.dropout ?? 0);
  const recurrentDropout = requireRate('recurrentDropout', opts.recurrentDropout ?? 0);
  const layers: tf.layers.Layer[] = [
    embedding(
      numWordsOf(opts),
      opts.embeddingDim ?? embeddingDimDefault,
      opts.maxlen === undefined ? 500 : opts.maxlen,
      init,
      opts.maskZero === true,
    ),
  ];
  for (let i = 0; i < shape.depth; i++) {
    const rnn = recurrentLayer(
      kind,
      { units, dropout, recurrentDropout, returnSequences: i < shape.depth - 1, name: `${kind}_${i}`, resetAfter: opts.resetAfter },
      impl,
      init,
    );
    layers.push(shape.bidirectional ? fusedBidirectional({ layer: rnn as tf.RNN, mergeMode: 'concat' }) : rnn);
  }
  layers.push(classifierHead(opts.numClasses ?? 2, init));
  return finish(name, layers, opts, defaults);
}

/** Listing 6.22: Embedding(10000, 32) → SimpleRNN(32) → Dense(1, sigmoid), rmsprop. */
export function simpleRnn(opts: RecurrentTextOptions = {}): tf.Sequential {
  return recurrentText('simpleRnn', 'simpleRnn', opts, { depth: 1, bidirectional: false }, RMSPROP);
}

export interface StackedTextOptions extends RecurrentTextOptions {
  /** Number of SimpleRNN layers; all but the last return sequences. The book stacks 4. */
  depth?: number;
}

/** The stacked variant after listing 6.22: Embedding(10000, 32) → 3 × SimpleRNN(32, return_sequences) → SimpleRNN(32). */
export function stackedSimpleRnn(opts: StackedTextOptions = {}): tf.Sequential {
  const depth = requirePositiveInt('depth', opts.depth ?? 4);
  return recurrentText('stackedSimpleRnn', 'simpleRnn', opts, { depth, bidirectional: false }, RMSPROP);
}

/** Listing 6.27: Embedding(10000, 32) → LSTM(32) → Dense(1, sigmoid), rmsprop. */
export function lstm(opts: RecurrentTextOptions = {}): tf.Sequential {
  return recurrentText('lstm', 'lstm', opts, { depth: 1, bidirectional: false }, RMSPROP);
}

/** Listing 6.27 with a GRU in place of the LSTM. */
export function gru(opts: RecurrentTextOptions = {}): tf.Sequential {
  return recurrentText('gru', 'gru', opts, { depth: 1, bidirectional: false }, RMSPROP);
}

/** Listing 6.43: Embedding(10000, 32) → Bidirectional(LSTM(32)) → Dense(1, sigmoid), rmsprop. */
export function bidirectionalLstm(opts: RecurrentTextOptions = {}): tf.Sequential {
  return recurrentText('bidirectionalLstm', 'lstm', opts, { depth: 1, bidirectional: true }, RMSPROP);
}

/** Listing 6.43 with a GRU: Embedding(10000, 32) → Bidirectional(GRU(32)) → Dense(1, sigmoid). */
export function bidirectionalGru(opts: RecurrentTextOptions = {}): tf.Sequential {
  return recurrentText('bidirectionalGru', 'gru', opts, { depth: 1, bidirectional: true }, RMSPROP);
}

export interface Conv1dTextOptions extends TextModelOptions {
  filters?: number;
  kernelSize?: number;
  poolSize?: number;
}

/**
 * Listing 6.46: Embedding(10000, 128, input_length=500) → Conv1D(32, 7, relu) → MaxPooling1D(5)
 * → Conv1D(32, 7, relu) → GlobalMaxPooling1D → head, RMSprop (lr 1e-3 by default; the book's
 * 1e-4 via `learningRate`). The book's head is a bare
 * Dense(1) under binary cross-entropy; here it is Dense(1, sigmoid), which that loss assumes.
 */
export function conv1dText(opts: Conv1dTextOptions = {}): tf.Sequential {
  const init = new InitFactory(opts.seed);
  const filters = requirePositiveInt('filters', opts.filters ?? 32);
  const kernelSize = requirePositiveInt('kernelSize', opts.kernelSize ?? 7);
  const poolSize = requirePositiveInt('poolSize', opts.poolSize ?? 5);
  const maxlen = opts.maxlen === undefined ? 500 : opts.maxlen;
  // Two Conv1D(k) around a MaxPooling1D(p) leave no step below k·p + k − 1 tokens; say so now,
  // not at the first batch.
  const shortest = kernelSize * poolSize + kernelSize - 1;
  if (maxlen !== null && maxlen < shortest) {
    throw new ModelConfigError(
      `conv1dText: maxlen ${maxlen} is too short for two Conv1D(${kernelSize}) around a MaxPooling1D(${poolSize}); it needs at least ${shortest} tokens`,
    );
  }
  return finish(
    'conv1dText',
    [
      embedding(numWordsOf(opts), opts.embeddingDim ?? 128, maxlen, init),
      tf.layers.conv1d({ filters, kernelSize, activation: 'relu', kernelInitializer: init.glorotUniform() }),
      tf.layers.maxPooling1d({ poolSize }),
      tf.layers.conv1d({ filters, kernelSize, activation: 'relu', kernelInitializer: init.glorotUniform() }),
      tf.layers.globalMaxPooling1d(),
      classifierHead(opts.numClasses ?? 2, init),
    ],
    opts,
    // The book's 1e-4 learns only on the full IMDB set; RMSprop's Keras default learns on small
    // data too. The book's experiment passes 1e-4 itself.
    { optimizer: 'rmsprop', learningRate: 1e-3 },
  );
}

/** The Reuters seed exercise defaults: 46 topics, Embedding(10000, 100), adam. */
const REUTERS: RecurrentTextOptions = { numClasses: 46, embeddingDim: 100, maxlen: null, optimizer: 'adam' };

/** Reuters: Embedding(10000, 100) → SimpleRNN(32) → Dense(46, softmax), adam. */
export function reutersSimpleRnn(opts: RecurrentTextOptions = {}): tf.Sequential {
  return simpleRnn({ ...REUTERS, ...opts });
}

/** Reuters: Embedding(10000, 100) → LSTM(32, dropout 0.2, recurrent_dropout 0.2) → Dense(46, softmax), adam. */
export function reutersLstm(opts: RecurrentTextOptions = {}): tf.Sequential {
  return lstm({ ...REUTERS, dropout: 0.2, recurrentDropout: 0.2, ...opts });
}

/** Reuters: Embedding(10000, 100) → Bidirectional(LSTM(32)) → Dense(46, softmax), adam. */
export function reutersBidirectionalLstm(opts: RecurrentTextOptions = {}): tf.Sequential {
  return bidirectionalLstm({ ...REUTERS, ...opts });
}
