import { createRng, type Rng } from '@seqlearn/dataset';
import { tf } from '../tf.js';
import { ModelConfigError } from '../errors.js';

/** A tfjs weight initializer instance (tfjs does not export the class type at top level). */
export type Init = ReturnType<typeof tf.initializers.glorotUniform>;

/** Which implementation runs the recurrent layers: tfjs's own, or the project's fused kernels. */
export type RecurrentImpl = 'fused' | 'stock';

export const DEFAULT_RECURRENT_IMPL: RecurrentImpl = 'fused';

export type OptimizerName = 'rmsprop' | 'adam' | 'sgd' | 'adagrad';

/** What every builder accepts besides its architecture. */
export interface CommonOptions {
  /** Seed for every weight initializer and dropout layer; the same seed builds the same model. */
  seed?: number;
  /** Optimizer name (Keras default learning rates) or a tfjs optimizer instance. */
  optimizer?: OptimizerName | tf.Optimizer;
  /** Learning rate for a named optimizer. Keras's default (0.001) unless the listing says otherwise. */
  learningRate?: number;
  /** Skip `model.compile` (e.g. to compile with a custom loss). */
  compile?: boolean;
  /**
   * 'fused' (the default: the project's whole-sequence recurrent ops, same weights and outputs
   * as tfjs's layers, much faster on the cpu backend) or 'stock' (tfjs's own layers).
   */
  recurrentImpl?: RecurrentImpl;
}

/** The head of a classifier: one sigmoid unit for two classes, a softmax over n classes otherwise. */
export interface ClassifierHeadOptions {
  /** Number of classes. 2 (the default) gives Dense(1, sigmoid); more gives Dense(n, softmax). */
  numClasses?: number;
}

/** The kind of output a model's head produces, which decides the loss and the label checks. */
export type HeadKind = 'binary' | 'multiclass' | 'regression';

/** Hands out seeded initializers so that a builder given a seed is reproducible layer by layer. */
export class InitFactory {
  private readonly rng: Rng | undefined;

  constructor(seed: number | undefined) {
    this.rng = seed === undefined ? undefined : createRng(seed);
  }

  private nextSeed(): number | undefined {
    return this.rng === undefined ? undefined : this.rng.nextInt(2 ** 31 - 1);
  }

  glorotUniform(): Init | 'glorotUniform' {
    const seed = this.nextSeed();
    return seed === undefined ? 'glorotUniform' : tf.initializers.glorotUniform({ seed });
  }

  orthogonal(): Init | 'orthogonal' {
    const seed = this.nextSeed();
    return seed === undefined ? 'orthogonal' : tf.initializers.orthogonal({ seed });
  }

  /** Keras's Embedding default: uniform in [-0.05, 0.05]. */
  embeddingUniform(): Init | 'randomUniform' {
    const seed = this.nextSeed();
    return seed === undefined ? 'randomUniform' : tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed });
  }

  dropoutSeed(): number | undefined {
    return this.nextSeed();
  }
}

export function makeOptimizer(optimizer: OptimizerName | tf.Optimizer, learningRate: number): tf.Optimizer {
  if (typeof optimizer !== 'string') return optimizer;
  switch (optimizer) {
    // Keras's RMSprop: rho 0.9, epsilon 1e-7; tfjs's default epsilon is 1e-8.
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7);
    case 'adam':
      return tf.train.adam(learningRate, 0.9, 0.999, 1e-7);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
    default:
      throw new ModelConfigError(`unknown optimizer '${String(optimizer)}': expected 'rmsprop', 'adam', 'sgd' or 'adagrad'`);
  }
}

export function headKindFor(numClasses: number): HeadKind {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new ModelConfigError(`numClasses must be an integer ≥ 2, got ${numClasses}`);
  }
  return numClasses === 2 ? 'binary' : 'multiclass';
}

/** Dense(1, sigmoid) for binary, Dense(n, softmax) for multiclass. */
export function classifierHead(numClasses: number, init: InitFactory): tf.layers.Layer {
  const kind = headKindFor(numClasses);
  return tf.layers.dense({
    units: kind === 'binary' ? 1 : numClasses,
    activation: kind === 'binary' ? 'sigmoid' : 'softmax',
    kernelInitializer: init.glorotUniform(),
    name: 'head',
  });
}

export interface CompileDefaults {
  optimizer: OptimizerName;
  learningRate: number;
}

/** Compiles with the loss and metrics the head calls for (labels are class indices, not one-hot). */
export function compileFor(model: tf.LayersModel, head: HeadKind, opts: CommonOptions, defaults: CompileDefaults): void {
  if (opts.compile === false) return;
  const optimizer = makeOptimizer(opts.optimizer ?? defaults.optimizer, opts.learningRate ?? defaults.learningRate);
  if (head === 'binary') model.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['acc'] });
  else if (head === 'multiclass') model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['acc'] });
  else model.compile({ optimizer, loss: 'meanAbsoluteError' });
}

export function requirePositiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ModelConfigError(`${name} must be a positive integer, got ${value}`);
  return value;
}

export function requireRate(name: string, value: number): number {
  if (!(value >= 0 && value < 1)) throw new ModelConfigError(`${name} must be in [0, 1), got ${value}`);
  return value;
}
