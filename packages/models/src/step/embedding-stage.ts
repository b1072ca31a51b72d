// Embedding: each token id picks a row of the table. Its gradient is dense, as tfjs's
// (UnsortedSegmentSum over the whole vocabulary), so the optimizer sees the same update.

import type { tf } from '../tf.js';
import { requireTokenIds } from './token-ids.js';
import { requireShape, reuse, valuesOf, type Activation, type Stage, type VariableGradient } from './stage.js';

export class EmbeddingStage implements Stage {
  private ids: Int32Array = new Int32Array(0);
  private tableGrad: Float32Array | undefined;

  constructor(private readonly table: tf.Variable, private readonly trainable: boolean) {}

  forward(input: Activation): Activation {
    const [vocabulary, dim] = this.table.shape;
    requireShape('Embedding', input, [null]);
    const ids = requireTokenIds(input.values, vocabulary);
    const table = valuesOf(this.table);
    const out = new Float32Array(ids.length * dim);
    for (let i = 0; i < ids.length; i++) {
      const row = ids[i] * dim;
      const at = i * dim;
      for (let j = 0; j < dim; j++) out[at + j] = table[row + j];
    }
    this.ids = ids;
    return { values: out, shape: [...input.shape, dim] };
  }

  backward(dOutput: Float32Array): Float32Array | null {
    if (!this.trainable) return null;
    const [vocabulary, dim] = this.table.shape;
    const grad = (this.tableGrad = reuse(this.tableGrad, vocabulary * dim));
    const ids = this.ids;
    for (let i = 0; i < ids.length; i++) {
      const row = ids[i] * dim;
      const at = i * dim;
      for (let j = 0; j < dim; j++) grad[row + j] += dOutput[at + j];
    }
    return null;
  }

  gradients(): VariableGradient[] {
    return this.trainable && this.tableGrad !== undefined ? [{ variable: this.table, values: this.tableGrad }] : [];
  }
}
