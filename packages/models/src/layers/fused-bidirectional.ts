import { registeredClassName, setWrappedLayer } from '@seqlearn/backend/internals';
import { tf } from '../tf.js';
import { isFusedRecurrent } from './fused-cell-of.js';
import { StockBidirectional } from './fused-stock-class.js';

type BidirectionalArgs = Parameters<typeof tf.layers.bidirectional>[0];

/**
 * The inner layer as tfjs's Bidirectional constructor sees it: reporting the fused class's
 * registered name, so that the copies it deserializes for its two halves are fused layers
 * (config, seed and all). Everything else reads through to the layer.
 */
function underRegisteredName(layer: tf.layers.Layer): tf.layers.Layer {
  const registered = registeredClassName(layer);
  return Object.create(layer, { getClassName: { value: () => registered } }) as tf.layers.Layer;
}

/**
 * tfjs's Bidirectional around a fused recurrent layer, whose two halves are fused layers too.
 * tfjs's own wrapper copies its inner layer by the class name the layer reports, and the fused
 * layers report the stock names (so that plain tfjs loads saved models): its halves would be
 * stock layers. Saved and shown as a stock `Bidirectional`.
 */
export class FusedBidirectional extends StockBidirectional {
  static override className = 'FusedBidirectional';

  constructor(args: BidirectionalArgs) {
    const inner = args.layer;
    super(isFusedRecurrent(inner) ? { ...args, layer: underRegisteredName(inner) } : args);
    // tfjs keeps the layer it was given, and saves it under the name it reports: the stock one.
    setWrappedLayer(this, inner);
  }

  /** tfjs's: deserializes the inner layer, then wraps it. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return StockBidirectional.fromConfig(cls, config);
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
