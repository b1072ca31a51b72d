import * as tf from '@tensorflow/tfjs';
import {
  ownCpuBuffer,
  patchApplyGradients,
  registeredVariable as engineVariable,
  type AdamInternals,
  type NamedGradients,
  type OptimizerSlot,
  type RmsPropInternals,
} from '../tfjs-internals.js';
import { wasmForPass } from './wasm-kernels.js';

// Fused RMSprop and Adam updates: one pass over each variable's Float32Array instead of a
// dozen whole-tensor ops (each a separate allocation and loop). They replace the
// applyGradients methods of tfjs's own optimizer classes, so every model that compiles with
// 'rmsprop' / 'adam' or tf.train.* picks them up, and the optimizers' state stays in the
// same variables (same names, same getWeights/setWeights and saved layout). The arithmetic
// is tfjs's, term by term; only the float32 rounding of intermediate results differs.
// A variable whose buffer nothing else references (on the cpu backend) is updated in place:
// fresh buffers every step cost more in first-touch page faults than the update itself.

function gradientList(variableGradients: NamedGradients): Array<{ name: string; tensor: tf.Tensor | undefined }> {
  if (Array.isArray(variableGradients)) return variableGradients.map((g) => ({ name: g.name, tensor: g.tensor }));
  return Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
}

function registeredVariable(name: string): tf.Variable {
  const v = engineVariable(name);
  if (v === undefined) throw new Error(`fused optimizer: no variable named ${name}`);
  return v;
}

function slot(list: OptimizerSlot[], i: number, name: string, suffix: string, like: tf.Variable): tf.Variable {
  if (list[i] == null) {
    list[i] = { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(like).variable(false)) };
  }
  return list[i].variable;
}

function floats(t: tf.Tensor): Float32Array {
  const v = t.dataSync();
  return v instanceof Float32Array ? v : Float32Array.from(v);
}

/** Where a variable's new values go: its own buffer when free to overwrite, else a new one. */
function target(v: tf.Variable, n: number): Float32Array {
  return ownCpuBuffer(v) ?? new Float32Array(n);
}

/** Makes `values` the variable's value, unless they were written into its own buffer. */
function store(v: tf.Variable, values: Float32Array): void {
  if (ownCpuBuffer(v) === values) return;
  tf.tidy(() => v.assign(tf.tensor(values, v.shape, 'float32')));
}

// The passes are top-level functions of plain arguments: as loops inside the per-variable
// closure they ran about four times slower in V8.

// Large variables take the plain RMSprop update in WebAssembly SIMD (asm/optimizers.ts): in
// JavaScript each weight's square root and division cost about 5 ns, and an Embedding(10000,
// 8) table's update was most of its training step. A zero gradient (every Embedding row a
// batch did not use) adds exactly zero through them, so the JavaScript pass skips them there.
function rmsPropPass(
  g: Float32Array,
  w: Float32Array,
  ms: Float32Array,
  mom: Float32Array,
  newW: Float32Array,
  newMs: Float32Array,
  newMom: Float32Array,
  decay: number,
  momentum: number,
  lr: number,
  epsilon: number,
): void {
  for (let j = 0; j < w.length; j++) {
    const gj = g[j];
    const s = ms[j] * decay + gj * gj * (1 - decay);
    const m = gj === 0 ? mom[j] * momentum : mom[j] * momentum + (gj * lr) / Math.sqrt(s + epsilon);
    newMs[j] = s;
    newMom[j] = m;
    newW[j] = w[j] - m;
  }
}

function centeredRmsPropPass(
  g: Float32Array,
  w: Float32Array,
  ms: Float32Array,
  mom: Float32Array,
  mg: Float32Array,
  newW: Float32Array,
  newMs: Float32Array,
  newMom: Float32Array,
  newMg: Float32Array,
  decay: number,
  momentum: number,
  lr: number,
  epsilon: number,
): void {
  for (let j = 0; j < w.length; j++) {
    const gj = g[j];
    const s = ms[j] * decay + gj * gj * (1 - decay);
    const a = mg[j] * decay + gj * (1 - decay);
    const m = mom[j] * momentum + (gj * lr) / Math.sqrt(s - (a * a + epsilon));
    newMs[j] = s;
    newMg[j] = a;
    newMom[j] = m;
    newW[j] = w[j] - m;
  }
}

function adamPass(
  g: Float32Array,
  w: Float32Array,
  m: Float32Array,
  v: Float32Array,
  newW: Float32Array,
  newM: Float32Array,
  newV: Float32Array,
  beta1: number,
  beta2: number,
  oneMinusAccBeta1: number,
  oneMinusAccBeta2: number,
  lr: number,
  epsilon: number,
): void {
  for (let j = 0; j < w.length; j++) {
    const gj = g[j];
    const a = m[j] * beta1 + gj * (1 - beta1);
    const b = v[j] * beta2 + gj * gj * (1 - beta2);
    newM[j] = a;
    newV[j] = b;
    newW[j] = (a / oneMinusAccBeta1 / (Math.sqrt(b / oneMinusAccBeta2) + epsilon)) * -lr + w[j];
  }
}

function rmsPropApply(this: RmsPropInternals, variableGradients: NamedGradients): void {
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
    const newW = target(value, n);
    const newMs = target(msVar, n);
    const newMom = target(momVar, n);
    const wasm = mgVar === null ? wasmForPass(n) : null;
    if (wasm !== null) {
      const { kernels, arena } = wasm;
      const gAt = arena.put(g),
        wAt = arena.put(w),
        msAt = arena.put(ms),
        momAt = arena.put(mom);
      kernels.rmsProp(n, gAt, wAt, msAt, momAt, decay, momentum, lr, epsilon);
      const memory = arena.floats();
      newW.set(memory.subarray(wAt / 4, wAt / 4 + n));
      newMs.set(memory.subarray(msAt / 4, msAt / 4 + n));
      newMom.set(memory.subarray(momAt / 4, momAt / 4 + n));
    } else if (mgVar === null) {
      rmsPropPass(g, w, ms, mom, newW, newMs, newMom, decay, momentum, lr, epsilon);
    } else {
      const mg = floats(mgVar);
      const newMg = target(mgVar, n);
      centeredRmsPropPass(g, w, ms, mom, mg, newW, newMs, newMom, newMg, decay, momentum, lr, epsilon);
      store(mgVar, newMg);
    }
    store(msVar, newMs);
    store(momVar, newMom);
    store(value, newW);
  });
  this.incrementIterations();
}

function adamApply(this: AdamInternals, variableGradients: NamedGradients): void {
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
    const newW = target(value, n);
    const newM = target(mVar, n);
    const newV = target(vVar, n);
    adamPass(g, w, m, v, newW, newM, newV, beta1, beta2, oneMinusAccBeta1, oneMinusAccBeta2, lr, epsilon);
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

// The methods are replaced on the classes' prototypes through the tfjs internals adapter,
// which checks the tfjs version first.
const patches = [patchApplyGradients('rmsprop', rmsPropApply), patchApplyGradients('adam', adamApply)];

/**
 * Switches tfjs's RMSprop and Adam optimizers to the fused single-pass updates (true) or back
 * to tfjs's own (false). Takes effect for optimizers already created.
 */
export function useFusedOptimizers(enabled: boolean): void {
  for (const p of patches) p.use(enabled);
}

export function fusedOptimizersActive(): boolean {
  return patches.every((p) => p.active());
}
