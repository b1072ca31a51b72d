// Dense on a rank-2 input: out = act(x · kernel + bias).

import { gemmNN, gemmNT, gemmTN } from '@seqlearn/backend/ops';
import { activate, activationGradient } from './activation.js';
import { requireShape, reuse, valuesOf, type Activation } from './stage.js';
import { fillRows, WeightedStage } from './weighted-stage.js';

export class DenseStage extends WeightedStage {
  private x: Float32Array = new Float32Array(0);
  private out: Float32Array = new Float32Array(0);
  private rows = 0;

  forward(input: Activation): Activation {
    const [inputs, units] = this.kernel.shape as [number, number];
    requireShape('Dense', input, [inputs]);
    const rows = input.shape[0];
    const x = input.values as Float32Array;
    const out = new Float32Array(rows * units);
    fillRows(out, this.bias === null ? null : valuesOf(this.bias));
    gemmNN(rows, units, inputs, x, 0, inputs, valuesOf(this.kernel), 0, units, out, 0, units);
    activate(this.activation, out);
    this.x = x;
    this.out = out;
    this.rows = rows;
    return { values: out, shape: [rows, units] };
  }

  backward(dOutput: Float32Array, needInput: boolean): Float32Array | null {
    const [inputs, units] = this.kernel.shape as [number, number];
    const rows = this.rows;
    activationGradient(this.activation, this.out, dOutput);
    if (this.trainable) {
      this.kernelGrad = reuse(this.kernelGrad, inputs * units);
      gemmTN(inputs, units, rows, this.x, 0, inputs, dOutput, 0, units, this.kernelGrad, 0, units);
      this.sumBiasGradient(dOutput);
    }
    if (!needInput) return null;
    const dx = new Float32Array(rows * inputs);
    gemmNT(rows, inputs, units, dOutput, 0, units, valuesOf(this.kernel), 0, units, dx, 0, inputs);
    return dx;
  }
}
