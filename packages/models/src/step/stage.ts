// What each layer of a compiled training step implements (see compiled-step.ts).

import type { tf } from '../tf.js';
import { InputShapeError } from '../errors.js';

/** A row-major array and its shape, batch first: token ids for the first stage, floats after. */
export interface Activation {
  values: Float32Array | Int32Array;
  shape: number[];
  /**
   * Keras's mask ([batch, steps], 0 at a padding step) from an Embedding with maskZero, carried
   * as far as the layers that consume it (the recurrent stages); absent for none.
   */
  mask?: Uint8Array;
}

/** A variable's gradient for the step just run, in the variable's own layout. */
export interface VariableGradient {
  variable: tf.Variable;
  values: Float32Array;
}

/** One layer (or a fused pair) of a compiled step. */
export interface Stage {
  /** Computes the output for a batch and keeps what `backward` needs. */
  forward(input: Activation): Activation;
  /**
   * Takes the gradient of the loss with respect to the last output and fills this stage's
   * weight gradients. Returns the gradient with respect to the input when `needInput`
   * (a stage after the first), else null.
   */
  backward(dOutput: Float32Array, needInput: boolean): Float32Array | null;
  /** Gradients of the trainable variables, valid after `backward`. */
  gradients(): VariableGradient[];
}

/** The loss, the metrics and the gradient of the loss with respect to the head's pre-activation. */
export interface HeadResult {
  values: number[];
  gradient: Float32Array;
}

/** The last Dense layer's activation with the model's loss and metrics, differentiated together. */
export interface LossHead {
  readonly metricsNames: readonly string[];
  /** Fails unless `y` holds the labels of `rows` rows, before anything runs. */
  requireLabels(y: Float32Array, rows: number): void;
  /** `weights`: one per row; the loss becomes mean(w · loss) and the metrics stay unweighted. */
  lossAndGradient(logits: Activation, y: Float32Array, weights?: Float32Array): HeadResult;
}

/** Fails unless `input` is `[batch, ...rest]` with `rest` as given (null: any size). */
export function requireShape(layer: string, input: Activation, rest: ReadonlyArray<number | null>): void {
  const got = input.shape.slice(1);
  if (got.length !== rest.length || rest.some((d, i) => d !== null && d !== got[i])) {
    const want = rest.map((d) => (d === null ? 'any' : String(d))).join(', ');
    throw new InputShapeError(`compiled train step: ${layer} takes [batch, ${want}], got [${input.shape.join(', ')}]`);
  }
}

/** A variable's current values: on the cpu backend, the variable's own buffer (no copy). */
export function valuesOf(variable: tf.Variable): Float32Array {
  return variable.dataSync() as Float32Array;
}

/**
 * A zeroed buffer of `length` floats, reused across steps while the length stays the same:
 * fresh buffers of megabytes each step cost more in page faults and collections than the
 * loops that fill them. A step's buffers are only read until the next step starts.
 */
export function reuse(buffer: Float32Array | undefined, length: number): Float32Array {
  if (buffer === undefined || buffer.length !== length) return new Float32Array(length);
  buffer.fill(0);
  return buffer;
}
