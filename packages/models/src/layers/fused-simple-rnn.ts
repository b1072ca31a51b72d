import { tf } from '../tf.js';
import { fusedCall, type CallKwargs } from './fused-recurrent-call.js';
import type { FusedRecurrentArgs } from './fused-lstm.js';
import { StockSimpleRNN } from './fused-stock-class.js';

export type FusedSimpleRNNArgs = tf.SimpleRNNLayerArgs & FusedRecurrentArgs;

/**
 * SimpleRNN that runs the whole sequence as one op with hand-written backpropagation through time.
 * Same config, weights (kernel, recurrent_kernel, bias) and outputs as
 * tf.layers.simpleRNN; falls back to the stock per-step path for masks, initial or returned states
 * and stateful use.
 */
export class FusedSimpleRNN extends StockSimpleRNN {
  static override className = 'FusedSimpleRNN';
  readonly seed: number;

  constructor(args: FusedSimpleRNNArgs) {
    super(args);
    this.seed = args.seed ?? 0;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor | tf.Tensor[] {
    return fusedCall(this, 'simpleRnn', inputs, kwargs) ?? super.call(inputs, kwargs);
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }

  /**
   * Saved, named and shown as tfjs's own SimpleRNN, so that plain tfjs loads the model; loadModel
   * swaps this class back in (fused-serialization.ts).
   */
  override getClassName(): string {
    return 'SimpleRNN';
  }

  /** The stock config plus `seed`, Keras 3's key for the dropout seed, which tfjs ignores. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}
tf.serialization.registerClass(FusedSimpleRNN);

export function fusedSimpleRNN(args: FusedSimpleRNNArgs): FusedSimpleRNN {
  return new FusedSimpleRNN(args);
}
