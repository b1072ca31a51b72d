// The activations a compiled stage applies after its product, and their derivatives, with
// tfjs's conventions: Relu's gradient is 0 where the input is 0 (tfjs's Step), Sigmoid's and
// Tanh's are taken from the output, as tfjs's gradients are.
// Relu multiplies by the comparison instead of branching on it: on the signs of real
// activations a branch mispredicts half the time, and the loop ran five times slower. NaN
// stays NaN, as in tfjs (an input of −∞ gives NaN instead of 0).

export type ActivationName = 'linear' | 'relu' | 'sigmoid' | 'tanh';

const KNOWN: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh'];

export function isActivationName(name: unknown): name is ActivationName {
  return typeof name === 'string' && KNOWN.includes(name);
}

/** Replaces pre-activations by activations, in place. */
export function activate(name: ActivationName, z: Float32Array): void {
  const n = z.length;
  switch (name) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < n; i++) z[i] *= +(z[i] > 0);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) z[i] = 1 / (1 + Math.exp(-z[i]));
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) z[i] = Math.tanh(z[i]);
      return;
  }
}

/** Turns the gradient with respect to the activations `a` into the one with respect to their inputs, in place. */
export function activationGradient(name: ActivationName, a: Float32Array, d: Float32Array): void {
  const n = d.length;
  switch (name) {
    case 'linear':
      return;
    case 'relu':
      for (let i = 0; i < n; i++) d[i] *= +(a[i] > 0);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) d[i] *= a[i] * (1 - a[i]);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) d[i] *= 1 - a[i] * a[i];
      return;
  }
}
