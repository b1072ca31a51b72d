// What Dense and Conv1D share: a kernel, an optional bias, an activation after the product,
// and the gradients of the two variables; and the two bias helpers every stage with a bias uses.

import type { tf } from '../tf.js';
import type { ActivationName } from './activation.js';
import { reuse, type Activation, type Stage, type VariableGradient } from './stage.js';

export abstract class WeightedStage implements Stage {
  protected kernelGrad: Float32Array | undefined;
  protected biasGrad: Float32Array | undefined;

  /** `trainable` false: a frozen layer, which still passes gradients through. */
  constructor(
    protected readonly kernel: tf.Variable,
    protected readonly bias: tf.Variable | null,
    protected readonly activation: ActivationName,
    protected readonly trainable: boolean,
  ) {}

  abstract forward(input: Activation): Activation;
  abstract backward(dOutput: Float32Array, needInput: boolean): Float32Array | null;

  /** The bias gradient: the sums over rows of dz (`[rows, filters or units]`). */
  protected sumBiasGradient(dz: Float32Array): void {
    if (this.bias === null) return;
    this.biasGrad = columnSums(dz, dz.length / this.bias.size, this.bias.size, this.biasGrad);
  }

  gradients(): VariableGradient[] {
    if (!this.trainable || this.kernelGrad === undefined) return [];
    const grads: VariableGradient[] = [{ variable: this.kernel, values: this.kernelGrad }];
    if (this.bias !== null && this.biasGrad !== undefined) grads.push({ variable: this.bias, values: this.biasGrad });
    return grads;
  }
}

/** Sums the rows of a `[rows, cols]` array into a reused buffer: a bias's gradient. */
export function columnSums(d: Float32Array, rows: number, cols: number, into: Float32Array | undefined): Float32Array {
  const sums = reuse(into, cols);
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    for (let c = 0; c < cols; c++) sums[c] += d[at + c];
  }
  return sums;
}

/** Every row of `out` set to the bias (the products then add onto it); nothing without one. */
export function fillRows(out: Float32Array, bias: Float32Array | null): void {
  if (bias === null) return;
  for (let at = 0; at < out.length; at += bias.length) out.set(bias, at);
}
