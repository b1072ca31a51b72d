import { bidirectionalParts } from '@seqlearn/backend/internals';
import { tf } from '../tf.js';
import { isFusedRecurrent } from './fused-cell-of.js';
import { StockBidirectional } from './fused-stock-class.js';

type BidirectionalArgs = Parameters<typeof tf.layers.bidirectional>[0];

/**
 * tfjs's Bidirectional around a fused recurrent layer, whose two halves are fused layers too.
 * tfjs's own wrapper copies its inner layer by the class name the layer reports, and the fused
 * layers report the stock names (so that plain tfjs loads saved models): its halves would be
 * stock layers. Saved and shown as a stock `Bidirectional`.
 */
export class FusedBidirectional extends StockBidirectional {
  static className = 'FusedBidirectional';

  constructor(args: BidirectionalArgs) {
    super(args);
    const inner = args.layer;
    if (!isFusedRecurrent(inner)) return;
    // The halves tfjs just made are not built yet: nothing to dispose.
    const parts = bidirectionalParts(this);
    const half = (goBackwards: boolean, prefix: string): tf.layers.Layer => {
      const Fused = inner.constructor as new (config: tf.serialization.ConfigDict) => tf.layers.Layer;
      const layer = new Fused({ ...inner.getConfig(), goBackwards, seed: inner.seed });
      layer.name = `${prefix}_${layer.name}`;
      return layer;
    };
    parts.forwardLayer = half(inner.goBackwards, 'forward');
    parts.backwardLayer = half(!inner.goBackwards, 'backward');
  }

  /** tfjs's: deserializes the inner layer, then wraps it. */
  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const stock = StockBidirectional as unknown as { fromConfig(c: typeof cls, config: tf.serialization.ConfigDict): T };
    return stock.fromConfig(cls, config);
  }

  /** Saved and shown as tfjs's own Bidirectional. */
  override getClassName(): string {
    return 'Bidirectional';
  }
}
tf.serialization.registerClass(FusedBidirectional);

/**
 * A Bidirectional wrapper: fused halves around a fused layer, tfjs's own wrapper around any
 * other. Same arguments as `tf.layers.bidirectional`.
 */
export function fusedBidirectional(args: BidirectionalArgs): tf.layers.Layer {
  return isFusedRecurrent(args.layer) ? new FusedBidirectional(args) : tf.layers.bidirectional(args);
}
