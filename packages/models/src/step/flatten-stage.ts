// Flatten: the same values seen as `[batch, everything else]`.

import type { Activation, Stage, VariableGradient } from './stage.js';

export class FlattenStage implements Stage {
  forward(input: Activation): Activation {
    const rows = input.shape[0];
    return { values: input.values, shape: [rows, rows === 0 ? 0 : input.values.length / rows] };
  }

  backward(dOutput: Float32Array, needInput: boolean): Float32Array | null {
    return needInput ? dOutput : null;
  }

  gradients(): VariableGradient[] {
    return [];
  }
}
