// A fused SimpleRNN, LSTM or GRU layer (@seqlearn/models' FusedSimpleRNN, FusedLSTM,
// FusedGRU): the same whole-sequence pass and backpropagation through time the layer's own op
// runs, with the dropout masks drawn from the layer's own stream, so a compiled step and
// trainOnBatch draw the same masks in turn. A Keras mask on the input (an Embedding with
// maskZero) is honoured as the layer honours it, and passed on when the layer returns sequences.

import { runSequence, runTokenSequence, type RecurrentCell, type SequenceResult } from '@seqlearn/backend/ops';
import type { tf } from '../tf.js';
import { cellVariables, sequenceProblem, type FusedLayerView } from '../layers/fused-recurrent-call.js';
import { requireShape, valuesOf, type Activation, type Stage, type VariableGradient } from './stage.js';

export class RecurrentStage implements Stage {
  private result: SequenceResult | undefined;
  private grads: VariableGradient[] = [];
  private readonly variables: { kernel: tf.Variable; recurrentKernel: tf.Variable; bias: tf.Variable | null };

  constructor(
    private readonly layer: FusedLayerView,
    private readonly kind: RecurrentCell,
    private readonly trainable: boolean,
  ) {
    this.variables = cellVariables(layer);
  }

  forward(input: Activation): Activation {
    const { kernel, recurrentKernel, bias } = this.variables;
    const inputDim = kernel.shape[0] as number;
    const units = recurrentKernel.shape[0] as number;
    requireShape(this.layer.name, input, [null, inputDim]);
    const [batch, steps] = input.shape;
    // The plan has checked the activations, so there is a problem to solve.
    const problem = sequenceProblem(this.layer, this.kind, batch, steps, inputDim, true, input.mask ?? null);
    if (problem === null) throw new Error(`${this.layer.name}: no fused form`);
    this.result = runSequence(problem, input.values as Float32Array, {
      kernel: valuesOf(kernel),
      recurrentKernel: valuesOf(recurrentKernel),
      bias: bias === null ? null : valuesOf(bias),
    });
    if (!this.layer.returnSequences) return { values: this.result.output, shape: [batch, units] };
    const out: Activation = { values: this.result.output, shape: [batch, steps, units] };
    if (input.mask !== undefined) out.mask = input.mask;
    return out;
  }

  /**
   * The inference output over token ids [batch, steps] that pick rows of an Embedding's
   * `table`, each step's input product looked up per token (runTokenSequence); null when that
   * form does not apply, and `forward` on the table's rows gives the same output.
   */
  inferFromTokens(ids: Int32Array, shape: readonly number[], table: Float32Array, mask: Uint8Array | undefined): Activation | null {
    const { kernel, recurrentKernel, bias } = this.variables;
    const inputDim = kernel.shape[0] as number;
    const units = recurrentKernel.shape[0] as number;
    const [batch, steps] = shape;
    if (shape.length !== 2 || table.length % inputDim !== 0) return null;
    const problem = sequenceProblem(this.layer, this.kind, batch, steps, inputDim, false, mask ?? null);
    if (problem === null) return null;
    const last = runTokenSequence(problem, ids, table, {
      kernel: valuesOf(kernel),
      recurrentKernel: valuesOf(recurrentKernel),
      bias: bias === null ? null : valuesOf(bias),
    });
    return last === null ? null : { values: last, shape: [batch, units] };
  }

  backward(dOutput: Float32Array, needInput: boolean): Float32Array | null {
    const g = (this.result as SequenceResult).backward(dOutput);
    this.result = undefined;
    const { kernel, recurrentKernel, bias } = this.variables;
    this.grads = this.trainable
      ? [
          { variable: kernel, values: g.kernel },
          { variable: recurrentKernel, values: g.recurrentKernel },
        ]
      : [];
    if (this.trainable && bias !== null && g.bias !== null) this.grads.push({ variable: bias, values: g.bias });
    return needInput ? g.x : null;
  }

  gradients(): VariableGradient[] {
    return this.grads;
  }
}
