// An Embedding feeding a recurrent layer, at inference: a step's input product x·W + b depends
// on the token alone, so it is computed once per vocabulary row (table · W + b, [V, gates·U])
// and looked up per token. For the book's LSTM(32) over Embedding(·, 32) that is half of each
// step's arithmetic; it pays when the batch holds more tokens than the table has rows.

import { gemmNN } from '../../kernels/matmul-gemm.js';
import { gateCount, type SequenceProblem, type SequenceWeights } from './types.js';
import { lastFromTokens, recurrentShape, wasmRecurrentSupports } from './wasm.js';

/**
 * The last output [batch, units] of `p` over token ids [batch, steps] that pick rows of
 * `table` [V, inputDim] (ids checked by the caller), with no gradients; null when this form
 * does not apply (returned sequences, dropout, no WebAssembly kernels, or fewer tokens than
 * table rows), and the caller runs `runSequence` on the rows instead.
 */
export function runTokenSequence(p: SequenceProblem, tokens: Int32Array, table: Float32Array, w: SequenceWeights): Float32Array | null {
  const { batch: B, steps: T, inputDim: D, units: U } = p;
  if (p.returnSequences || p.inputMask !== null || p.recurrentMask !== null) return null;
  const V = table.length / D;
  if (!wasmRecurrentSupports(U) || V > B * T) return null;
  const G = gateCount(p.cell) * U;
  const projected = new Float32Array(V * G);
  // The input bias (a resetAfter GRU's first half; its recurrent half stays in the pass).
  if (w.bias !== null) for (let v = 0; v < V; v++) projected.set(w.bias.subarray(0, G), v * G);
  gemmNN(V, G, D, table, 0, D, w.kernel, 0, G, projected, 0, G);
  return lastFromTokens(recurrentShape(p), tokens, projected, w.recurrentKernel, w.bias, p.stepMask ?? null);
}
