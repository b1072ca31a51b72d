// Dense on a rank-2 input: out = act(x · kernel + bias).

import { gemmNN, gemmNT, gemmTN } from '@seqlearn/backend';
import type { tf } from '../tf.js';
import { activate, activationGradient, type ActivationName } from './activation.js';
import { reuse, valuesOf, type Activation, type Stage, type VariableGradient } from './stage.js';

export class DenseStage implements Stage {
  private x: Float32Array = new Float32Array(0);
  private out: Float32Array = new Float32Array(0);
  private rows = 0;
  private kernelGrad: Float32Array | undefined;
  private biasGrad: Float32Array | undefined;

  /** `trainable` false: a frozen layer, which still passes gradients through. */
  constructor(
    private readonly kernel: tf.Variable,
    private readonly bias: tf.Variable | null,
    private readonly activation: ActivationName,
    private readonly trainable: boolean,
  ) {}

  private get inputs(): number {
    return this.kernel.shape[0] as number;
  }

  private get units(): number {
    return this.kernel.shape[1] as number;
  }

  forward(input: Activation): Activation {
    const rows = input.shape[0];
    const x = input.values as Float32Array;
    const units = this.units;
    const out = new Float32Array(rows * units);
    if (this.bias !== null) {
      const b = valuesOf(this.bias);
      for (let r = 0; r < rows; r++) out.set(b, r * units);
    }
    gemmNN(rows, units, this.inputs, x, 0, this.inputs, valuesOf(this.kernel), 0, units, out, 0, units);
    activate(this.activation, out);
    this.x = x;
    this.out = out;
    this.rows = rows;
    return { values: out, shape: [rows, units] };
  }

  backward(dOutput: Float32Array, needInput: boolean): Float32Array | null {
    const { rows, inputs, units } = { rows: this.rows, inputs: this.inputs, units: this.units };
    activationGradient(this.activation, this.out, dOutput);
    if (this.trainable) {
      this.kernelGrad = reuse(this.kernelGrad, inputs * units);
      gemmTN(inputs, units, rows, this.x, 0, inputs, dOutput, 0, units, this.kernelGrad, 0, units);
      if (this.bias !== null) this.biasGrad = columnSums(dOutput, rows, units, this.biasGrad);
    }
    if (!needInput) return null;
    const dx = new Float32Array(rows * inputs);
    gemmNT(rows, inputs, units, dOutput, 0, units, valuesOf(this.kernel), 0, units, dx, 0, inputs);
    return dx;
  }

  gradients(): VariableGradient[] {
    if (!this.trainable || this.kernelGrad === undefined) return [];
    const grads: VariableGradient[] = [{ variable: this.kernel, values: this.kernelGrad }];
    if (this.bias !== null && this.biasGrad !== undefined) grads.push({ variable: this.bias, values: this.biasGrad });
    return grads;
  }
}

/** Sums the rows of a `[rows, cols]` array: a bias's gradient. */
export function columnSums(d: Float32Array, rows: number, cols: number, into: Float32Array | undefined): Float32Array {
  const sums = reuse(into, cols);
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    for (let c = 0; c < cols; c++) sums[c] += d[at + c];
  }
  return sums;
}
