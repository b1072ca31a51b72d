// Embedding: each token id picks a row of the table. With maskZero the output carries Keras's
// mask, id ≠ 0, for the recurrent stages after it.

import { gatherTableRows } from '@seqlearn/backend/ops';
import type { tf } from '../tf.js';
import { addRowsInto } from './embedding-rows.js';
import { requireTokenIds } from './token-ids.js';
import { requireShape, reuse, valuesOf, type Activation, type Stage, type VariableGradient } from './stage.js';

/** An input's checked token ids, the table they index, and Keras's mask (maskZero only). */
export interface TokenLookup {
  ids: Int32Array;
  table: Float32Array;
  mask?: Uint8Array;
}

export class EmbeddingStage implements Stage {
  private ids: Int32Array = new Int32Array(0);
  private tableGrad: Float32Array | undefined;

  constructor(
    private readonly table: tf.Variable,
    private readonly trainable: boolean,
    private readonly maskZero = false,
  ) {}

  forward(input: Activation): Activation {
    return this.rows(this.lookup(input), input.shape);
  }

  /** The table rows of a lookup of an input shaped `shape`, keeping the ids for `backward`. */
  rows({ ids, table, mask }: TokenLookup, shape: readonly number[]): Activation {
    const dim = this.table.shape[1] as number;
    this.ids = ids;
    const out: Activation = { values: gatherTableRows(table, ids, dim), shape: [...shape, dim] };
    if (mask !== undefined) out.mask = mask;
    return out;
  }

  /** The checked token ids of `input` [batch, steps], the table they index, and Keras's mask with maskZero. */
  lookup(input: Activation): TokenLookup {
    const vocabulary = this.table.shape[0] as number;
    requireShape('Embedding', input, [null]);
    const ids = requireTokenIds(input.values, vocabulary);
    const table = valuesOf(this.table);
    return this.maskZero ? { ids, table, mask: Uint8Array.from(ids, (id) => (id !== 0 ? 1 : 0)) } : { ids, table };
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
