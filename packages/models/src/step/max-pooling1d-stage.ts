// MaxPooling1D with valid padding: the largest of each window of `poolSize` steps, `strides`
// apart. The gradient goes to the first largest value of each window, as tfjs's MaxPoolGrad.

import { requireShape, type Activation, type Stage, type VariableGradient } from './stage.js';

export class MaxPooling1dStage implements Stage {
  private where: Int32Array = new Int32Array(0);
  private inputLength = 0;

  constructor(private readonly poolSize: number, private readonly strides: number) {}

  forward(input: Activation): Activation {
    requireShape('MaxPooling1D', input, [null, null]);
    const [batch, steps, channels] = input.shape;
    const outSteps = Math.floor((steps - this.poolSize) / this.strides) + 1;
    if (outSteps < 1) throw new RangeError(`MaxPooling1D: ${steps} steps are fewer than the pool's ${this.poolSize}`);
    const x = input.values as Float32Array;
    const out = new Float32Array(batch * outSteps * channels);
    const where = new Int32Array(out.length);
    for (let b = 0; b < batch; b++) {
      for (let t = 0; t < outSteps; t++) {
        const first = (b * steps + t * this.strides) * channels;
        const o = (b * outSteps + t) * channels;
        for (let c = 0; c < channels; c++) {
          let best = first + c;
          for (let k = 1; k < this.poolSize; k++) {
            const at = first + k * channels + c;
            if (x[at] > x[best]) best = at;
          }
          out[o + c] = x[best];
          where[o + c] = best;
        }
      }
    }
    this.where = where;
    this.inputLength = x.length;
    return { values: out, shape: [batch, outSteps, channels] };
  }

  backward(dOutput: Float32Array, needInput: boolean): Float32Array | null {
    if (!needInput) return null;
    const dx = new Float32Array(this.inputLength);
    const where = this.where;
    for (let i = 0; i < where.length; i++) dx[where[i]] += dOutput[i];
    return dx;
  }

  gradients(): VariableGradient[] {
    return [];
  }
}
