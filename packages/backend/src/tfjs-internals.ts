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
  kind: K,
  apply: (this: OptimizerInternals[K], variableGradients: NamedGradients) => void,
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

/** The learning-rate fields of tfjs's optimizers (protected in tfjs; SGD and Momentum add a setter). */
interface LearningRateFields {
  learningRate?: unknown;
  setLearningRate?: (lr: number) => void;
}

/** The optimizer's learning rate: a number on every one of tfjs's optimizers, else undefined. */
export function optimizerLearningRate(optimizer: tf.Optimizer): number | undefined {
  requireSupportedTfjs();
  const fields: object = optimizer;
  const lr = (fields as LearningRateFields).learningRate;
  return typeof lr === 'number' ? lr : undefined;
}

/** Sets the rate the optimizer's next step uses (SGD and Momentum cache it, hence setLearningRate). */
export function setOptimizerLearningRate(optimizer: tf.Optimizer, lr: number): void {
  requireSupportedTfjs();
  const fields: object = optimizer;
  const holder = fields as LearningRateFields;
  if (typeof holder.setLearningRate === 'function') holder.setLearningRate(lr);
  else holder.learningRate = lr;
}

/** Adam's running powers of beta1 and beta2 (Adamax keeps the first only). */
const BETA_POWER_FIELDS = ['accBeta1', 'accBeta2'] as const;

/**
 * The variables an optimizer keeps its running powers of beta1 and beta2 in, by field name
 * (accBeta1, accBeta2); empty for optimizers without them. Private fields, outside getWeights().
 */
export function optimizerBetaPowers(optimizer: tf.Optimizer): Record<string, tf.Variable> {
  requireSupportedTfjs();
  const fields: object = optimizer;
  const out: Record<string, tf.Variable> = {};
  for (const name of BETA_POWER_FIELDS) {
    const v = (fields as Partial<Record<string, unknown>>)[name];
    if (v instanceof tf.Variable) out[name] = v;
  }
  return out;
}

// ---- layers and models --------------------------------------------------------------------

/**
 * A layer class from tfjs's serialization registry, typed as the caller declares it. tfjs
 * exports the types of its recurrent layers but not the classes themselves; subclassing them
 * keeps every bit of their config handling, weight creation and serialization.
 */
export function registeredLayerClass<Args, Instance extends tf.layers.Layer>(
  className: string,
): (new (args: Args) => Instance) & {
  /** The name the class is registered under. */
  className: string;
  /** tfjs's deserialization of the class (every registered class has one). */
  fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T;
} {
  requireSupportedTfjs();
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (entry === undefined) throw new BackendUnavailableError(`tfjs internals: tfjs has no layer class registered as ${className}`);
  const ctor: unknown = entry[0];
  return ctor as ReturnType<typeof registeredLayerClass<Args, Instance>>;
}

/**
 * The name a layer's class is registered under in tfjs's serialization registry (its static
 * className), which is what tfjs deserializes copies by; getClassName may report another.
 */
export function registeredClassName(layer: tf.layers.Layer): string {
  requireSupportedTfjs();
  const ctor: unknown = layer.constructor;
  return (ctor as tf.serialization.SerializableConstructor<tf.layers.Layer>).className;
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

/** Replaces the layer a wrapper (Bidirectional, TimeDistributed) keeps, a readonly field in tfjs. */
export function setWrappedLayer(wrapper: tf.layers.Layer, layer: tf.layers.Layer): void {
  requireSupportedTfjs();
  const fields: object = wrapper;
  (fields as { layer: tf.layers.Layer }).layer = layer;
}

interface NestingFields {
  forwardLayer?: tf.layers.Layer;
  backwardLayer?: tf.layers.Layer;
  layer?: tf.layers.Layer;
  layers?: tf.layers.Layer[];
}

/**
 * The layers directly inside a layer: a Bidirectional's two halves (private fields) and the
 * layer it was given, a wrapper's layer, a nested model's layers. Empty for a plain layer.
 */
export function nestedLayers(layer: tf.layers.Layer): tf.layers.Layer[] {
  requireSupportedTfjs();
  const fields: object = layer;
  const inner = fields as NestingFields;
  return [inner.forwardLayer, inner.backwardLayer, inner.layer, ...(inner.layers ?? [])].filter(
    (l): l is tf.layers.Layer => l !== undefined,
  );
}

type LossOrMetric = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** What compile() sets up on a model, which tfjs's train function uses (none of it public API). */
export interface CompiledModelInternals {
  /** One per output. */
  lossFunctions: LossOrMetric[];
  /** Each metric with the index of the output it applies to. */
  metricsTensors: Array<[LossOrMetric, number]>;
  /** The layers' regularization losses. */
  calculateLosses?: () => tf.Scalar[];
}

/** The loss and metric functions of a compiled model, and its regularization losses. */
export function compiledModelInternals(model: tf.LayersModel): CompiledModelInternals {
  requireSupportedTfjs();
  // A Sequential compiles the functional model it wraps, which holds the loss functions.
  const fields: object = model;
  const outer = fields as Partial<CompiledModelInternals> & { model?: CompiledModelInternals };
  return (outer.lossFunctions === undefined ? outer.model : outer) as CompiledModelInternals;
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

/** Replaces a recurrent layer's cell, a readonly field in tfjs (set by the layer's constructor). */
export function setRecurrentCell(layer: tf.RNN, cell: tf.layers.Layer): void {
  requireSupportedTfjs();
  const fields: object = layer;
  (fields as { cell: tf.layers.Layer }).cell = cell;
}

/** The fields of tfjs's GRUCell (plain or protected fields there) that a subclass reads and sets. */
export interface GRUCellInternals {
  units: number;
  activation: { apply(x: tf.Tensor): tf.Tensor };
  recurrentActivation: { apply(x: tf.Tensor): tf.Tensor };
  useBias: boolean;
  kernelInitializer: unknown;
  recurrentInitializer: unknown;
  biasInitializer: unknown;
  kernelRegularizer: unknown;
  recurrentRegularizer: unknown;
  biasRegularizer: unknown;
  kernelConstraint: unknown;
  recurrentConstraint: unknown;
  biasConstraint: unknown;
  dropout: number;
  recurrentDropout: number;
  dropoutMask: tf.Tensor | tf.Tensor[] | null;
  recurrentDropoutMask: tf.Tensor | tf.Tensor[] | null;
  kernel: tf.LayerVariable;
  recurrentKernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  built: boolean;
  addWeight(name: string, shape: number[], dtype: null, ...rest: unknown[]): tf.LayerVariable;
}

/** A GRUCell (or a subclass of it) as its fields: a live view, writes go to the cell. */
export function gruCellInternals(cell: tf.layers.Layer): GRUCellInternals {
  requireSupportedTfjs();
  const fields: object = cell;
  return fields as GRUCellInternals;
}
