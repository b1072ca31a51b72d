import * as tf from '@tensorflow/tfjs';

// Fused RMSprop and Adam updates: one pass over each variable's Float32Array instead of a
// dozen whole-tensor ops (each a separate allocation and loop). They replace the
// applyGradients methods of tfjs's own optimizer classes, so every model that compiles with
// 'rmsprop' / 'adam' or tf.train.* picks them up, and the optimizers' state stays in the
// same variables (same names, same getWeights/setWeights and saved layout). The arithmetic
// is tfjs's, term by term; only the float32 rounding of intermediate results differs.

type NamedGradients = tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>;

interface OptimizerVariable {
  originalName: string;
  variable: tf.Variable;
}

interface RmsPropState {
  learningRate: number;
  decay: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
  accumulatedMeanSquares: OptimizerVariable[];
  accumulatedMoments: OptimizerVariable[];
  accumulatedMeanGrads: OptimizerVariable[];
  incrementIterations(): void;
}

interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: OptimizerVariable[];
  accumulatedSecondMoment: OptimizerVariable[];
  incrementIterations(): void;
}

type ApplyGradients = (this: unknown, variableGradients: NamedGradients) => void;

function gradientList(variableGradients: NamedGradients): Array<{ name: string; tensor: tf.Tensor | undefined }> {
  if (Array.isArray(variableGradients)) return variableGradients.map((g) => ({ name: g.name, tensor: g.tensor }));
  return Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
}

function registeredVariable(name: string): tf.Variable {
  const v = (tf.engine() as unknown as { registeredVariables: Record<string, tf.Variable> }).registeredVariables[name];
  if (v === undefined) throw new Error(`fused optimizer: no variable named ${name}`);
  return v;
}

function slot(list: OptimizerVariable[], i: number, name: string, suffix: string, like: tf.Variable): tf.Variable {
  if (list[i] == null) {
    list[i] = { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(like).variable(false)) };
  }
  return list[i].variable;
}

function floats(t: tf.Tensor): Float32Array {
  const v = t.dataSync();
  return v instanceof Float32Array ? v : Float32Array.from(v);
}

/** Replaces the variable's value with a new buffer (never written in place: others may share it). */
function store(v: tf.Variable, values: Float32Array): void {
  tf.tidy(() => v.assign(tf.tensor(values, v.shape, 'float32')));
}

function rmsPropApply(this: RmsPropState, variableGradients: NamedGradients): void {
  const { decay, momentum, epsilon, learningRate: lr } = this;
  gradientList(variableGradients).forEach(({ name, tensor }, i) => {
    const value = registeredVariable(name);
    const msVar = slot(this.accumulatedMeanSquares, i, name, 'rms', value);
    const momVar = slot(this.accumulatedMoments, i, name, 'momentum', value);
    const mgVar = this.centered ? slot(this.accumulatedMeanGrads, i, name, 'mg', value) : null;
    if (tensor == null) return;
    const g = floats(tensor);
    const w = floats(value);
    const ms = floats(msVar);
    const mom = floats(momVar);
    const n = w.length;
    const newW = new Float32Array(n);
    const newMs = new Float32Array(n);
    const newMom = new Float32Array(n);
    if (mgVar === null) {
      for (let j = 0; j < n; j++) {
        const gj = g[j];
        const s = ms[j] * decay + gj * gj * (1 - decay);
        const m = mom[j] * momentum + (gj * lr) / Math.sqrt(s + epsilon);
        newMs[j] = s;
        newMom[j] = m;
        newW[j] = w[j] - m;
      }
    } else {
      const mg = floats(mgVar);
      const newMg = new Float32Array(n);
      for (let j = 0; j < n; j++) {
        const gj = g[j];
        const s = ms[j] * decay + gj * gj * (1 - decay);
        const a = mg[j] * decay + gj * (1 - decay);
        const m = mom[j] * momentum + (gj * lr) / Math.sqrt(s - (a * a + epsilon));
        newMs[j] = s;
        newMg[j] = a;
        newMom[j] = m;
        newW[j] = w[j] - m;
      }
      store(mgVar, newMg);
    }
    store(msVar, newMs);
    store(momVar, newMom);
    store(value, newW);
  });
  this.incrementIterations();
}

function adamApply(this: AdamState, variableGradients: NamedGradients): void {
  const { beta1, beta2, epsilon, learningRate: lr } = this;
  const accBeta1 = this.accBeta1.dataSync()[0];
  const accBeta2 = this.accBeta2.dataSync()[0];
  const oneMinusAccBeta1 = Math.fround(1 - accBeta1);
  const oneMinusAccBeta2 = Math.fround(1 - accBeta2);
  gradientList(variableGradients).forEach(({ name, tensor }, i) => {
    const value = registeredVariable(name);
    const mVar = slot(this.accumulatedFirstMoment, i, name, 'm', value);
    const vVar = slot(this.accumulatedSecondMoment, i, name, 'v', value);
    if (tensor == null) return;
    const g = floats(tensor);
    const w = floats(value);
    const m = floats(mVar);
    const v = floats(vVar);
    const n = w.length;
    const newW = new Float32Array(n);
    const newM = new Float32Array(n);
    const newV = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      const gj = g[j];
      const a = m[j] * beta1 + gj * (1 - beta1);
      const b = v[j] * beta2 + gj * gj * (1 - beta2);
      newM[j] = a;
      newV[j] = b;
      newW[j] = ((a / oneMinusAccBeta1) / (Math.sqrt(b / oneMinusAccBeta2) + epsilon)) * -lr + w[j];
    }
    store(mVar, newM);
    store(vVar, newV);
    store(value, newW);
  });
  tf.tidy(() => {
    this.accBeta1.assign(tf.scalar(accBeta1 * beta1));
    this.accBeta2.assign(tf.scalar(accBeta2 * beta2));
  });
  this.incrementIterations();
}

interface Patch {
  proto: { applyGradients: ApplyGradients };
  stock: ApplyGradients;
  fused: ApplyGradients;
}

const patches: Patch[] = [
  {
    proto: tf.RMSPropOptimizer.prototype as unknown as Patch['proto'],
    stock: tf.RMSPropOptimizer.prototype.applyGradients as unknown as ApplyGradients,
    fused: rmsPropApply as unknown as ApplyGradients,
  },
  {
    proto: tf.AdamOptimizer.prototype as unknown as Patch['proto'],
    stock: tf.AdamOptimizer.prototype.applyGradients as unknown as ApplyGradients,
    fused: adamApply as unknown as ApplyGradients,
  },
];

/**
 * Switches tfjs's RMSprop and Adam optimizers to the fused single-pass updates (true) or back
 * to tfjs's own (false). Takes effect for optimizers already created.
 */
export function useFusedOptimizers(enabled: boolean): void {
  for (const p of patches) p.proto.applyGradients = enabled ? p.fused : p.stock;
}

export function fusedOptimizersActive(): boolean {
  return patches.every((p) => p.proto.applyGradients === p.fused);
}
