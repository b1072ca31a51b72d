import { gruCellInternals, registeredLayerClass, setRecurrentCell } from '@seqlearn/backend/internals';
import { tf } from '../tf.js';
import { fusedCall, type CallKwargs } from './fused-recurrent-call.js';
import type { FusedRecurrentArgs } from './fused-lstm.js';
import { StockGRU } from './fused-stock-class.js';

export type FusedGRUArgs = tf.GRULayerArgs &
  FusedRecurrentArgs & {
    /**
     * Apply the reset gate after the recurrent product (tf.keras 2's default, and cuDNN's), with
     * a second, recurrent bias: bias [2, 3·units]. Default false (Keras 1 and tfjs).
     */
    resetAfter?: boolean;
  };

// tfjs exports neither GRUCell nor a resetAfter form of it (its GRUCell refuses resetAfter), so
// the cell is looked up in tfjs's registry, like the stock layers the fused ones subclass.
const StockGRUCell = registeredLayerClass<tf.GRULayerArgs, tf.layers.Layer>('GRUCell');

/**
 * The resetAfter cell: the same weights as Keras's (kernel, recurrent_kernel, bias [2, 3·units]:
 * input bias, then recurrent bias), stepped with tfjs ops. Used where the fused layer falls back
 * to the per-step RNN (initial or returned states, stateful layers).
 */
class ResetAfterGRUCell extends StockGRUCell {
  static override className = 'ResetAfterGRUCell';

  constructor(args: tf.GRULayerArgs) {
    super({ ...args, resetAfter: false } as tf.GRULayerArgs);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = gruCellInternals(this);
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inputDim = shape[shape.length - 1] as number;
    const G = 3 * c.units;
    c.kernel = c.addWeight('kernel', [inputDim, G], null, c.kernelInitializer, c.kernelRegularizer, true, c.kernelConstraint);
    c.recurrentKernel = c.addWeight(
      'recurrent_kernel',
      [c.units, G],
      null,
      c.recurrentInitializer,
      c.recurrentRegularizer,
      true,
      c.recurrentConstraint,
    );
    c.bias = c.useBias ? c.addWeight('bias', [2, G], null, c.biasInitializer, c.biasRegularizer, true, c.biasConstraint) : null;
    c.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor[] {
    return tf.tidy(() => {
      const c = gruCellInternals(this);
      const [x0, h] = inputs as tf.Tensor[];
      const training = kwargs['training'] === true;
      const U = c.units;
      // One mask per sequence (the layer's call clears them), as the stock cell draws them.
      if (c.dropout > 0 && c.dropout < 1 && c.dropoutMask == null) {
        c.dropoutMask = tf.keep(training ? tf.dropout(tf.onesLike(x0), c.dropout) : tf.onesLike(x0));
      }
      if (c.recurrentDropout > 0 && c.recurrentDropout < 1 && c.recurrentDropoutMask == null) {
        c.recurrentDropoutMask = tf.keep(training ? tf.dropout(tf.onesLike(h), c.recurrentDropout) : tf.onesLike(h));
      }
      const x = c.dropoutMask == null ? x0 : tf.mul(x0, c.dropoutMask as tf.Tensor);
      // As on the fused path: the recurrent mask multiplies h where it enters the product only.
      const hm = c.recurrentDropoutMask == null ? h : tf.mul(h, c.recurrentDropoutMask as tf.Tensor);
      let matrixX = tf.matMul(x, c.kernel.read());
      let matrixInner = tf.matMul(hm, c.recurrentKernel.read());
      if (c.bias !== null) {
        const [inputBias, recurrentBias] = tf.unstack(c.bias.read());
        matrixX = tf.add(matrixX, inputBias);
        matrixInner = tf.add(matrixInner, recurrentBias);
      }
      const [xZ, xR, xH] = tf.split(matrixX, [U, U, U], 1);
      const [rZ, rR, rH] = tf.split(matrixInner, [U, U, U], 1);
      const z = c.recurrentActivation.apply(tf.add(xZ, rZ));
      const r = c.recurrentActivation.apply(tf.add(xR, rR));
      const hh = c.activation.apply(tf.add(xH, tf.mul(r, rH)));
      const next = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      return [next, next];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), resetAfter: true };
  }
}

/**
 * GRU that runs the whole sequence as one op with hand-written backpropagation through time.
 * Same config, weights (kernel, recurrent_kernel, bias; gates z, r, h) and outputs as
 * tf.layers.gru, and with `resetAfter: true` as Keras's GRU (bias [2, 3·units]), which tfjs's
 * own GRU lacks. Masks (an Embedding with maskZero) run on the fused path too; initial or
 * returned states and stateful use fall back to the per-step RNN.
 */
export class FusedGRU extends StockGRU {
  static override className = 'FusedGRU';
  readonly seed: number;
  readonly resetAfter: boolean;

  constructor(args: FusedGRUArgs) {
    // tfjs's GRUCell refuses resetAfter; the layer takes it and swaps in its own cell.
    super({ ...args, resetAfter: false } as tf.GRULayerArgs);
    this.seed = args.seed ?? 0;
    this.resetAfter = args.resetAfter === true;
    if (this.resetAfter) setRecurrentCell(this, new ResetAfterGRUCell(args));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor | tf.Tensor[] {
    return fusedCall(this, 'gru', inputs, kwargs) ?? super.call(inputs, kwargs);
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
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
    return { ...super.getConfig(), resetAfter: this.resetAfter, seed: this.seed };
  }
}
tf.serialization.registerClass(FusedGRU);

export function fusedGru(args: FusedGRUArgs): FusedGRU {
  return new FusedGRU(args);
}
