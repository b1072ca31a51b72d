// GlobalMaxPooling1D: the largest value of each channel over all steps. As tfjs's gradient of
// Max, every step that equals the maximum receives the gradient.

import { requireShape, reuse, type Activation, type Stage, type VariableGradient } from './stage.js';

export class GlobalMaxPooling1dStage implements Stage {
  private x: Float32Array = new Float32Array(0);
  private out: Float32Array = new Float32Array(0);
  private shape: number[] = [0, 0, 0];
  /** The input's gradient, reused from step to step (read only until the next step). */
  private dx: Float32Array | undefined;

  forward(input: Activation): Activation {
    requireShape('GlobalMaxPooling1D', input, [null, null]);
    const [batch, steps, channels] = input.shape;
    const x = input.values as Float32Array;
    const out = new Float32Array(batch * channels).fill(-Infinity);
    for (let b = 0; b < batch; b++) {
      const o = b * channels;
      for (let t = 0; t < steps; t++) {
        const at = (b * steps + t) * channels;
        for (let c = 0; c < channels; c++) if (x[at + c] > out[o + c]) out[o + c] = x[at + c];
      }
    }
    this.x = x;
    this.out = out;
    this.shape = [batch, steps, channels];
    return { values: out, shape: [batch, channels] };
  }

  backward(dOutput: Float32Array, needInput: boolean): Float32Array | null {
    if (!needInput) return null;
    const { x, out } = this;
    const [batch, steps, channels] = this.shape;
    const dx = (this.dx = reuse(this.dx, x.length));
    for (let b = 0; b < batch; b++) {
      const o = b * channels;
      for (let t = 0; t < steps; t++) {
        const at = (b * steps + t) * channels;
        for (let c = 0; c < channels; c++) if (x[at + c] === out[o + c]) dx[at + c] = dOutput[o + c];
      }
    }
    return dx;
  }

  gradients(): VariableGradient[] {
    return [];
  }
}
