// The one place that reaches inside tfjs: the cpu backend's tensor storage, the engine's
// variables and gradient scopes, optimizers' and layers' private fields, and the optimizer
// prototypes the fused updates replace. None of this is public API, so it can change in any
// tfjs release; every accessor first checks that the tfjs in use is the one these shapes were
// read from, and fails with a BackendUnavailableError naming both versions otherwise.

import * as tf from '@tensorflow/tfjs';
import type { DataId, DataType, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { BackendUnavailableError } from './errors.js';

/** The tfjs release line the accessors below were written against. */
export const TFJS_INTERNALS_VERSION = '4.22.x';

const SUPPORTED = /^4\.22\./;

/** The versions of the tfjs pieces whose internals are read: core (engine), layers, cpu backend. */
export function tfjsVersions(): Record<string, string> {
  const all = tf.version as Record<string, string | undefined>;
  return {
    'tfjs-core': tf.version_core,
    'tfjs-layers': tf.version_layers,
    'tfjs-backend-cpu': all['tfjs-backend-cpu'] ?? tf.version_core,
  };
}

/**
 * Throws BackendUnavailableError unless every piece in `versions` is a release this adapter was
 * written for. Exposed with an argument so that the message can be checked without another tfjs.
 */
export function checkTfjsVersions(versions: Record<string, string> = tfjsVersions()): void {
  const wrong = Object.entries(versions).filter(([, v]) => !SUPPORTED.test(v));
  if (wrong.length === 0) return;
  const found = wrong.map(([name, v]) => `@tensorflow/${name} ${v}`).join(', ');
  throw new BackendUnavailableError(
    `tfjs internals: @seqlearn/backend reads private parts of @tensorflow/tfjs ${TFJS_INTERNALS_VERSION}, but found ${found}; ` +
      `install @tensorflow/tfjs@4.22 (the version @seqlearn/backend depends on)`,
  );
}

let checked = false;

/** Checks the installed tfjs once per process; every accessor below calls it first. */
export function requireSupportedTfjs(): void {
  if (checked) return;
  checkTfjsVersions();
  checked = true;
}

// ---- kernels on the cpu backend ------------------------------------------------------------

/** Typed arrays the cpu backend stores numeric tensors in. */
export type CpuValues = Float32Array | Int32Array | Uint8Array;

/**
 * The slice of tfjs-backend-cpu's `MathBackendCPU` the project's kernels use. The class is not
 * re-exported by `@tensorflow/tfjs`, so kernels see it through this shape.
 */
export interface CpuBackend {
  data: { get(dataId: DataId): { values: unknown; refCount?: number } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType, values?: CpuValues): TensorInfo;
  /** One more tensor shares this buffer (what Reshape does instead of copying). */
  incRef(dataId: DataId): void;
}

/** The backend a kernel function receives, as the cpu backend it is registered for. */
export function cpuBackendOf(backend: unknown): CpuBackend {
  requireSupportedTfjs();
  return backend as CpuBackend;
}

/** The typed array behind a tensor on the cpu backend (no copy). */
export function valuesOf(backend: CpuBackend, t: TensorInfo): CpuValues {
  return (backend.data.get(t.dataId) as { values: unknown }).values as CpuValues;
}

/**
 * A kernel's attributes as the interface the kernel declares for them: tfjs types them only as
 * a name → value map, though each kernel's attributes are fixed by its op.
 */
export function kernelAttrs<T>(attrs: NamedAttrMap | undefined): T {
  return (attrs ?? {}) as Partial<T> as T;
}

/**
 * A variable's own float32 buffer on the cpu backend when nothing else shares it (a tf.clone
 * or a kept getWeights() result raises the count), so it may be overwritten. Else null.
 */
export function ownCpuBuffer(v: tf.Variable): Float32Array | null {
  requireSupportedTfjs();
  if (tf.getBackend() !== 'cpu') return null;
  const entry = cpuBackendOf(tf.backend()).data.get(v.dataId);
  return entry !== undefined && entry.refCount === 1 && entry.values instanceof Float32Array ? entry.values : null;
}

// ---- the engine ---------------------------------------------------------------------------

/** The variable registered under `name` (what optimizers receive gradients by). */
export function registeredVariable(name: string): tf.Variable | undefined {
  requireSupportedTfjs();
  return tf.engine().registeredVariables[name];
}

/**
 * True inside tf.grad, tf.variableGrads or an optimizer's minimize (any model training step):
 * only then can an op's gradient be asked for. tfjs has no public API for this; its engine
 * counts the nesting of gradient scopes.
 */
export function recordingGradients(): boolean {
  requireSupportedTfjs();
  const depth = (tf.engine().state as { gradientDepth?: number } | undefined)?.gradientDepth;
  return depth === undefined || depth > 0;
}

// ---- optimizers ---------------------------------------------------------------------------

export type NamedGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** An optimizer's accumulator slot: its variable and the weight name it belongs to. */
export interface OptimizerSlot {
  originalName: string;
  variable: tf.Variable;
}

/** The private state of tfjs's RMSPropOptimizer that a replacement applyGradients uses. */
export interface RmsPropInternals {
  learningRate: number;
  decay: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
  accumulatedMeanSquares: OptimizerSlot[];
  accumulatedMoments: OptimizerSlot[];
  accumulatedMeanGrads: OptimizerSlot[];
  incrementIterations(): void;
}

/** The private state of tfjs's AdamOptimizer that a replacement applyGradients uses. */
export interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: OptimizerSlot[];
  accumulatedSecondMoment: OptimizerSlot[];
  incrementIterations(): void;
}

interface OptimizerInternals {
  rmsprop: RmsPropInternals;
  adam: AdamInternals;
}

/** A replaced applyGradients method of one tfjs optimizer class, switchable back and forth. */
export interface ApplyGradientsPatch {
  /** Installs the replacement (true) or tfjs's own method (false) on the class's prototype. */
  use(replaced: boolean): void;
  /** True while the replacement is installed. */
  active(): boolean;
}

type ApplyGradients = (variableGradients: NamedGradients) => void;
type Prototype = { applyGradients: ApplyGradients };

function optimizerPrototype(kind: keyof OptimizerInternals): Prototype {
  return kind === 'rmsprop' ? tf.RMSPropOptimizer.prototype : tf.AdamOptimizer.prototype;
}

/**
 * Prepares the replacement of `kind`'s applyGradients by `apply`, which runs with the
 * optimizer's private state as `this`. Takes effect for optimizers already created, since
 * the method lives on the class's prototype. Nothing changes until `use(true)`.
 */
export function patchApplyGradients<K extends keyof OptimizerInternals>(
  kind: K, apply: (this: OptimizerInternals[K], variableGradients: NamedGradients) => void,
): ApplyGradientsPatch {
  const proto = optimizerPrototype(kind);
  const stock = proto.applyGradients;
  const replacement = apply as (this: unknown, variableGradients: NamedGradients) => void;
  return {
    use(replaced) {
      if (replaced) requireSupportedTfjs();
      proto.applyGradients = replaced ? replacement : stock;
    },
    active: () => proto.applyGradients === replacement,
  };
}

// ---- layers and models --------------------------------------------------------------------

/**
 * A layer class from tfjs's serialization registry, typed as the caller declares it. tfjs
 * exports the types of its recurrent layers but not the classes themselves; subclassing them
 * keeps every bit of their config handling, weight creation and serialization.
 */
export function registeredLayerClass<Args, Instance extends tf.layers.Layer>(className: string): new (args: Args) => Instance {
  requireSupportedTfjs();
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (entry === undefined) throw new BackendUnavailableError(`tfjs internals: tfjs has no layer class registered as ${className}`);
  const ctor: unknown = entry[0];
  return ctor as new (args: Args) => Instance;
}

/** The weight `key` of a layer (Dense/Conv1D `kernel` and `bias`, Embedding `embeddings`), or null. */
export function layerWeight(layer: tf.layers.Layer, key: 'kernel' | 'bias' | 'embeddings'): tf.Variable | null {
  requireSupportedTfjs();
  const fields: Partial<Record<string, tf.LayerVariable | null>> = layer as object;
  const lv = fields[key];
  return lv == null ? null : (lv.read() as tf.Variable);
}

/** The parts of a tf.layers.bidirectional wrapper (private fields of its class). */
export interface BidirectionalParts {
  forwardLayer: tf.layers.Layer;
  backwardLayer: tf.layers.Layer;
  mergeMode: string;
  returnSequences: boolean;
}

export function bidirectionalParts(layer: tf.layers.Layer): BidirectionalParts {
  requireSupportedTfjs();
  const fields: object = layer;
  return fields as BidirectionalParts;
}

/** What the fused recurrent passes read from a SimpleRNN, LSTM or GRU cell. */
export interface RecurrentCellFields {
  units: number;
  dropout: number;
  recurrentDropout: number;
  /** tfjs activation class names ('tanh', 'sigmoid', 'hardSigmoid', 'relu', 'linear', ...). */
  activation: string;
  /** 'linear' for SimpleRNN, which has none. */
  recurrentActivation: string;
  kernel: tf.Variable;
  recurrentKernel: tf.Variable;
  bias: tf.Variable | null;
}

interface CellFields {
  units: number;
  dropout: number;
  recurrentDropout: number;
  activation: { getClassName(): string };
  recurrentActivation?: { getClassName(): string };
  kernel?: tf.LayerVariable;
  recurrentKernel?: tf.LayerVariable;
  bias?: tf.LayerVariable | null;
}

/**
 * The cell of a built SimpleRNN, LSTM or GRU layer. Its weights are read when it is built;
 * before that they are not there and this throws.
 */
export function recurrentCellFields(layer: tf.RNN): RecurrentCellFields {
  requireSupportedTfjs();
  const cell: object = layer.cell;
  const c = cell as CellFields;
  if (c.kernel === undefined || c.recurrentKernel === undefined) {
    throw new BackendUnavailableError(`tfjs internals: layer '${layer.name}' has no built cell weights`);
  }
  return {
    units: c.units,
    dropout: c.dropout,
    recurrentDropout: c.recurrentDropout,
    activation: c.activation.getClassName(),
    recurrentActivation: c.recurrentActivation?.getClassName() ?? 'linear',
    kernel: c.kernel.read() as tf.Variable,
    recurrentKernel: c.recurrentKernel.read() as tf.Variable,
    bias: c.bias == null ? null : (c.bias.read() as tf.Variable),
  };
}

/** A cell's activation class names only: valid before the layer is built. */
export function recurrentCellActivations(layer: tf.RNN): { activation: string; recurrentActivation: string } {
  requireSupportedTfjs();
  const cell: object = layer.cell;
  const c = cell as CellFields;
  return { activation: c.activation.getClassName(), recurrentActivation: c.recurrentActivation?.getClassName() ?? 'linear' };
}
