import { tf } from '../tf.js';
import { fusedCall, type CallKwargs } from './fused-recurrent-call.js';
import { StockLSTM } from './fused-stock-class.js';

export interface FusedRecurrentArgs {
  /** Seeds the dropout masks (mixed with the layer's name). Default 0. */
  seed?: number;
}
export type FusedLSTMArgs = tf.LSTMLayerArgs & FusedRecurrentArgs;

/**
 * LSTM that runs the whole sequence as one op with hand-written backpropagation through time.
 * Same config, weights (kernel, recurrent_kernel, bias; gates i, f, c, o) and outputs as
 * tf.layers.lstm; falls back to the stock per-step path for masks, initial or returned states
 * and stateful use.
 */
export class FusedLSTM extends StockLSTM {
  static override className = 'FusedLSTM';
  readonly seed: number;

  constructor(args: FusedLSTMArgs) {
    super(args);
    this.seed = args.seed ?? 0;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor | tf.Tensor[] {
    return fusedCall(this, 'lstm', inputs, kwargs) ?? super.call(inputs, kwargs);
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }

  /**
   * Saved, named and shown as tfjs's own LSTM, so that plain tfjs loads the model; loadModel
   * swaps this class back in (fused-serialization.ts).
   */
  override getClassName(): string {
    return 'LSTM';
  }

  /** The stock config plus `seed`, Keras 3's key for the dropout seed, which tfjs ignores. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}
tf.serialization.registerClass(FusedLSTM);

export function fusedLstm(args: FusedLSTMArgs): FusedLSTM {
  return new FusedLSTM(args);
}
