import { tf } from '../tf.js';
import { fusedCall, type CallKwargs } from './fused-recurrent-call.js';
import type { FusedRecurrentArgs } from './fused-lstm.js';
import { StockGRU } from './fused-stock-class.js';

export type FusedGRUArgs = tf.GRULayerArgs & FusedRecurrentArgs;

/**
 * GRU that runs the whole sequence as one op with hand-written backpropagation through time.
 * Same config, weights (kernel, recurrent_kernel, bias; gates z, r, h) and outputs as
 * tf.layers.gru (resetAfter false); falls back to the stock per-step path for masks,
 * initial or returned states and stateful use.
 */
export class FusedGRU extends StockGRU {
  static className = 'FusedGRU';
  readonly seed: number;

  constructor(args: FusedGRUArgs) {
    super(args);
    this.seed = args.seed ?? 0;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor | tf.Tensor[] {
    return fusedCall(this, 'gru', inputs, kwargs) ?? super.call(inputs, kwargs);
  }

  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }

  /**
   * Saved, named and shown as tfjs's own GRU, so that plain tfjs loads the model; loadModel
   * swaps this class back in (fused-serialization.ts).
   */
  override getClassName(): string {
    return 'GRU';
  }

  /** The stock config plus `seed`, Keras 3's key for the dropout seed, which tfjs ignores. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}
tf.serialization.registerClass(FusedGRU);

export function fusedGru(args: FusedGRUArgs): FusedGRU {
  return new FusedGRU(args);
}
