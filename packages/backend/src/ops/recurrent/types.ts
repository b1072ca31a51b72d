// The shapes both recurrent paths (js.ts, wasm.ts) take and give, so a caller never knows
// which one ran.
//
// Layouts follow tfjs/Keras: x is [batch, steps, inputDim]; kernel [inputDim, gates·units];
// recurrentKernel [units, gates·units]; bias [gates·units]; gate order i,f,c,o (LSTM) and
// z,r,h (GRU). A GRU with resetAfter (tf.keras 2's default) applies the reset gate after the
// recurrent product, r ⊙ (h(t-1)·R_h + b_rh), and has two biases, input then recurrent:
// bias [2·3·units].
//
// Step mask (Keras masking, e.g. an Embedding with maskZero): [batch, steps] in the input's
// time order, 0 where the step is padding. At a masked step the state is carried over unchanged
// and the step's output is the previous output, as tfjs-layers' rnn() does; so no gradient
// reaches that step's input or weights, and the state's gradient passes through it untouched.
//
// Dropout (training only): one input mask [batch, inputDim] and one recurrent mask
// [batch, units], each drawn once per sequence and shared by every gate, already scaled by
// 1/(1-rate). The input mask multiplies x before the kernel; the recurrent mask multiplies
// h(t-1) where it enters a product with the recurrent kernel (for GRU: both the z/r product and
// r ⊙ h(t-1)). The carried state itself is never masked (GRU's z ⊙ h(t-1) uses the clean h).

/** The recurrent cells, spelled as @seqlearn/models' builders spell them. */
export type RecurrentCell = 'simpleRnn' | 'lstm' | 'gru';

export interface SequenceProblem {
  cell: RecurrentCell;
  batch: number;
  steps: number;
  inputDim: number;
  units: number;
  goBackwards: boolean;
  returnSequences: boolean;
  /** Activation codes from activations.ts. SimpleRNN ignores recurrentActivation. */
  activation: number;
  recurrentActivation: number;
  /** [batch, inputDim], already scaled; null for no input dropout. */
  inputMask: Float32Array | null;
  /** [batch, units], already scaled; null for no recurrent dropout. */
  recurrentMask: Float32Array | null;
  /** GRU only: the reset gate after the recurrent product, with a recurrent bias. Default false. */
  resetAfter?: boolean;
  /** [batch, steps], 0 at a masked (padding) step; null or absent for no mask. */
  stepMask?: Uint8Array | null;
}

export interface SequenceWeights {
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array | null;
}

export interface SequenceGradients {
  x: Float32Array;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array | null;
}

export interface SequenceResult {
  /** [batch, steps, units] when returnSequences, else [batch, units]. */
  output: Float32Array;
  /** Backpropagation through time for an upstream gradient shaped like output. */
  backward(dy: Float32Array): SequenceGradients;
}

export function gateCount(cell: RecurrentCell): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** The bias's length: one bias per gate block, two for a GRU with resetAfter. */
export function biasSize(cell: RecurrentCell, units: number, resetAfter = false): number {
  return gateCount(cell) * units * (cell === 'gru' && resetAfter ? 2 : 1);
}

/** [A, C, U] → [C, A, U]: swaps batch-major and time-major layouts of per-step vectors. */
export function swapLeadingAxes(src: Float32Array, A: number, C: number, U: number): Float32Array {
  const out = new Float32Array(A * C * U);
  for (let a = 0; a < A; a++) {
    for (let c = 0; c < C; c++) {
      const from = (a * C + c) * U;
      out.set(src.subarray(from, from + U), (c * A + a) * U);
    }
  }
  return out;
}

/** h after every step, time-major [T,B,U] → the layer's [B,T,U]. */
export function batchMajorSteps(p: SequenceProblem, steps: Float32Array): Float32Array {
  return swapLeadingAxes(steps, p.steps, p.batch, p.units);
}
