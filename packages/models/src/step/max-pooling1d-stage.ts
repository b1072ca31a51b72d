// MaxPooling1D with valid padding: the largest of each window of `poolSize` steps, `strides`
// apart, chosen as tfjs's MaxPool chooses it (@seqlearn/backend's maxPool1d); the gradient goes
// to that position, as in MaxPoolGrad.

import { maxPool1d } from '@seqlearn/backend/ops';
import { InputShapeError } from '../errors.js';
import { requireShape, reuse, type Activation, type Stage, type VariableGradient } from './stage.js';

export class MaxPooling1dStage implements Stage {
  private where: Int32Array = new Int32Array(0);
  private inputLength = 0;
  /** The input's gradient, reused from step to step: it is megabytes, and read only until the next step. */
  private dx: Float32Array | undefined;
  /** The output and its positions, reused from step to step (the next step overwrites them). */
  private pooled: { out: Float32Array; where: Int32Array } | undefined;

  constructor(
    private readonly poolSize: number,
    private readonly strides: number,
  ) {}

  forward(input: Activation): Activation {
    requireShape('MaxPooling1D', input, [null, null]);
    const [batch, steps, channels] = input.shape;
    const outSteps = Math.floor((steps - this.poolSize) / this.strides) + 1;
    if (outSteps < 1)
      throw new InputShapeError(`compiled train step: MaxPooling1D takes at least ${this.poolSize} steps (its pool), got ${steps}`);
    const x = input.values as Float32Array;
    const { out, where } = maxPool1d(x, batch, steps, channels, this.poolSize, this.strides, this.pooled);
    this.pooled = { out, where };
    this.where = where;
    this.inputLength = x.length;
    return { values: out, shape: [batch, outSteps, channels] };
  }

  backward(dOutput: Float32Array, needInput: boolean): Float32Array | null {
    if (!needInput) return null;
    const dx = (this.dx = reuse(this.dx, this.inputLength));
    const where = this.where;
    for (let i = 0; i < where.length; i++) if (where[i] >= 0) dx[where[i]] += dOutput[i];
    return dx;
  }

  gradients(): VariableGradient[] {
    return [];
  }
}
