// Embedding: each token id picks a row of the table. With maskZero the output carries Keras's
// mask, id ≠ 0, for the recurrent stages after it.

import { gatherTableRows } from '@seqlearn/backend/ops';
import type { tf } from '../tf.js';
import { addRowsInto } from './embedding-rows.js';
import { requireTokenIds } from './token-ids.js';
import { requireShape, reuse, valuesOf, type Activation, type Stage, type VariableGradient } from './stage.js';

export class EmbeddingStage implements Stage {
  private ids: Int32Array = new Int32Array(0);
  private tableGrad: Float32Array | undefined;

  constructor(private readonly table: tf.Variable, private readonly trainable: boolean, private readonly maskZero = false) {}

  forward(input: Activation): Activation {
    const [vocabulary, dim] = this.table.shape as [number, number];
    requireShape('Embedding', input, [null]);
    this.ids = requireTokenIds(input.values, vocabulary);
    const out: Activation = { values: gatherTableRows(valuesOf(this.table), this.ids, dim), shape: [...input.shape, dim] };
    if (this.maskZero) out.mask = Uint8Array.from(this.ids, (id) => (id !== 0 ? 1 : 0));
    return out;
  }

  backward(dOutput: Float32Array): Float32Array | null {
    if (!this.trainable) return null;
    const dim = this.table.shape[1] as number;
    this.tableGrad = reuse(this.tableGrad, this.table.size);
    addRowsInto(this.tableGrad, this.ids, dOutput, dim);
    return null;
  }

  gradients(): VariableGradient[] {
    return this.trainable && this.tableGrad !== undefined ? [{ variable: this.table, values: this.tableGrad }] : [];
  }
}
