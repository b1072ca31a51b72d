// The activations the recurrent passes implement, with tfjs's exact formulas. Every
// derivative is written in terms of the activation's output, so backpropagation through time
// needs only the stored outputs, never the pre-activations.

export type RecurrentActivation = 'tanh' | 'sigmoid' | 'hardSigmoid' | 'relu' | 'linear';

export const ACT_TANH = 0;
export const ACT_SIGMOID = 1;
export const ACT_HARD_SIGMOID = 2;
export const ACT_RELU = 3;
export const ACT_LINEAR = 4;

const CODES: Record<RecurrentActivation, number> = {
  tanh: ACT_TANH,
  sigmoid: ACT_SIGMOID,
  hardSigmoid: ACT_HARD_SIGMOID,
  relu: ACT_RELU,
  linear: ACT_LINEAR,
};

/** The code for a tfjs activation class name, or undefined when the fused path lacks it. */
export function activationCode(className: string): number | undefined {
  return (CODES as Record<string, number | undefined>)[className];
}

export function activate(code: number, x: number): number {
  switch (code) {
    case ACT_TANH:
      return Math.tanh(x);
    case ACT_SIGMOID:
      return 1 / (1 + Math.exp(-x));
    case ACT_HARD_SIGMOID: {
      // tfjs: clip(0.2 x + 0.5, 0, 1)
      const y = 0.2 * x + 0.5;
      return y < 0 ? 0 : y > 1 ? 1 : y;
    }
    case ACT_RELU:
      return x > 0 ? x : 0;
    default:
      return x;
  }
}

/** d activation / d x, from the activation's output y. */
export function activationSlope(code: number, y: number): number {
  switch (code) {
    case ACT_TANH:
      return 1 - y * y;
    case ACT_SIGMOID:
      return y * (1 - y);
    case ACT_HARD_SIGMOID:
      return y > 0 && y < 1 ? 0.2 : 0;
    case ACT_RELU:
      return y > 0 ? 1 : 0;
    default:
      return 1;
  }
}
