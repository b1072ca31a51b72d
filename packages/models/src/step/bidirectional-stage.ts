// Bidirectional around a fused recurrent layer, merged by concatenation, last output only (the
// zoo's bidirectional models): the forward and the backward (goBackwards) layers each read the
// whole input (and its mask, if any), and their last states sit side by side, as in tfjs's
// Bidirectional.

import type { RecurrentStage } from './recurrent-stage.js';
import type { Activation, Stage, VariableGradient } from './stage.js';

export class BidirectionalStage implements Stage {
  private units = 0;

  constructor(
    private readonly forwardStage: RecurrentStage,
    private readonly backwardStage: RecurrentStage,
  ) {}

  forward(input: Activation): Activation {
    const f = this.forwardStage.forward(input);
    const b = this.backwardStage.forward(input);
    const [batch, units] = f.shape;
    const out = new Float32Array(batch * 2 * units);
    for (let r = 0; r < batch; r++) {
      out.set((f.values as Float32Array).subarray(r * units, (r + 1) * units), r * 2 * units);
      out.set((b.values as Float32Array).subarray(r * units, (r + 1) * units), r * 2 * units + units);
    }
    this.units = units;
    return { values: out, shape: [batch, 2 * units] };
  }

  backward(dOutput: Float32Array, needInput: boolean): Float32Array | null {
    const units = this.units;
    const batch = dOutput.length / (2 * units);
    const dForward = new Float32Array(batch * units);
    const dBackward = new Float32Array(batch * units);
    for (let r = 0; r < batch; r++) {
      dForward.set(dOutput.subarray(r * 2 * units, r * 2 * units + units), r * units);
      dBackward.set(dOutput.subarray(r * 2 * units + units, (r + 1) * 2 * units), r * units);
    }
    const dx = this.forwardStage.backward(dForward, needInput);
    const dxBackward = this.backwardStage.backward(dBackward, needInput);
    if (dx === null || dxBackward === null) return null;
    for (let i = 0; i < dx.length; i++) dx[i] += dxBackward[i];
    return dx;
  }

  gradients(): VariableGradient[] {
    return [...this.forwardStage.gradients(), ...this.backwardStage.gradients()];
  }
}
