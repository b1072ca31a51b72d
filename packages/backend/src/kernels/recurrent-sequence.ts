// Whole-sequence SimpleRNN, LSTM and GRU passes in the WebAssembly module (asm/recurrent.ts),
// for the fused recurrent layers of @seqlearn/models. Operands are copied into the module's
// memory for each pass and the results copied out, so the pass owns no memory between calls:
// the forward pass hands back the states its backward pass needs.
//
// Layouts (see @seqlearn/models' fused-recurrent-math.ts for the math): x is [B, T, D] as the
// layer receives it, with input dropout already applied; kernel [D, G·U];
// recurrentKernel [U, G·U]; bias [G·U]; recurrentMask [B, U] already scaled.

import { wasmArena, wasmKernels, type WasmArena, type WasmKernels } from './wasm-kernels.js';

export type RecurrentCell = 'simpleRNN' | 'lstm' | 'gru';

export interface RecurrentShape {
  cell: RecurrentCell;
  batch: number;
  steps: number;
  inputDim: number;
  units: number;
  /** Process the steps from the last to the first. */
  goBackwards: boolean;
  /** Activation codes: 0 tanh, 1 sigmoid, 2 hardSigmoid, 3 relu, 4 linear. */
  activation: number;
  recurrentActivation: number;
}

export interface RecurrentWeights {
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array | null;
  recurrentMask: Float32Array | null;
}

/** What the backward pass needs from the forward pass. */
export interface RecurrentStates {
  /** h before each step, then after the last: [(T+1), B, U]. */
  hs: Float32Array;
  /** LSTM cell states, [(T+1), B, U]; null for the other cells. */
  cs: Float32Array | null;
  /** Activated gates of every step, [T, B, G·U]; null for SimpleRNN. */
  gates: Float32Array | null;
}

export interface RecurrentGradients {
  /** [B, T, D], before the input mask. */
  x: Float32Array;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
}

const GATES: Record<RecurrentCell, number> = { simpleRNN: 1, lstm: 4, gru: 3 };

/** True when this shape runs in WebAssembly: the module is built and units split into vectors. */
export function wasmRecurrentSupports(units: number): boolean {
  return wasmKernels !== null && units % 4 === 0;
}

function module(): { kernels: WasmKernels; arena: WasmArena } {
  if (wasmKernels === null || wasmArena === null) throw new Error('the WebAssembly kernels are not built (run `pnpm build`)');
  return { kernels: wasmKernels, arena: wasmArena.start() };
}

/** Scratch for any pass of any cell (the backward passes need the most). */
function scratchFloats(s: RecurrentShape): number {
  const G = GATES[s.cell] * s.units;
  const BU = s.batch * s.units;
  return 6 * BU + s.batch * G + G * s.inputDim + G * s.units + 2 * G + 64;
}

export function recurrentForward(s: RecurrentShape, x: Float32Array, w: RecurrentWeights): RecurrentStates {
  const { kernels, arena } = module();
  const { batch: B, steps: T, inputDim: D, units: U } = s;
  const back = s.goBackwards ? 1 : 0;
  const G = GATES[s.cell] * U;
  const xAt = arena.put(x);
  const wAt = arena.put(w.kernel);
  const rAt = arena.put(w.recurrentKernel);
  const bAt = w.bias === null ? 0 : arena.put(w.bias);
  const mAt = w.recurrentMask === null ? 0 : arena.put(w.recurrentMask);
  const hsAt = arena.alloc((T + 1) * B * U, true);
  const scratch = arena.alloc(scratchFloats(s));
  const hsLength = (T + 1) * B * U;
  if (s.cell === 'simpleRNN') {
    kernels.simpleRnnForward(B, T, D, U, back, xAt, wAt, rAt, bAt, mAt, s.activation, hsAt, scratch);
    return { hs: arena.take(hsAt, hsLength), cs: null, gates: null };
  }
  const gatesAt = arena.alloc(T * B * G);
  if (s.cell === 'lstm') {
    const csAt = arena.alloc((T + 1) * B * U, true);
    kernels.lstmForward(B, T, D, U, back, xAt, wAt, rAt, bAt, mAt, s.activation, s.recurrentActivation, gatesAt, hsAt, csAt, scratch);
    return { hs: arena.take(hsAt, hsLength), cs: arena.take(csAt, hsLength), gates: arena.take(gatesAt, T * B * G) };
  }
  kernels.gruForward(B, T, D, U, back, xAt, wAt, rAt, bAt, mAt, s.activation, s.recurrentActivation, gatesAt, hsAt, scratch);
  return { hs: arena.take(hsAt, hsLength), cs: null, gates: arena.take(gatesAt, T * B * G) };
}

/**
 * Backpropagation through time. `dy` is the upstream gradient of the outputs: time-major
 * [T, B, U] in processing order when `dySequences`, else [B, U] for the last step only.
 */
export function recurrentBackward(
  s: RecurrentShape, x: Float32Array, w: RecurrentWeights, states: RecurrentStates, dy: Float32Array, dySequences: boolean,
): RecurrentGradients {
  const { kernels, arena } = module();
  const { batch: B, steps: T, inputDim: D, units: U } = s;
  const back = s.goBackwards ? 1 : 0;
  const G = GATES[s.cell] * U;
  const xAt = arena.put(x);
  const wAt = arena.put(w.kernel);
  const rAt = arena.put(w.recurrentKernel);
  const mAt = w.recurrentMask === null ? 0 : arena.put(w.recurrentMask);
  const hsAt = arena.put(states.hs);
  const dyAt = arena.put(dy);
  const dxAt = arena.alloc(T * B * D, true);
  const dwAt = arena.alloc(D * G, true);
  const drAt = arena.alloc(U * G, true);
  const dbAt = arena.alloc(G);
  const scratch = arena.alloc(scratchFloats(s));
  const seq = dySequences ? 1 : 0;
  if (s.cell === 'simpleRNN') {
    kernels.simpleRnnBackward(B, T, D, U, back, xAt, wAt, rAt, mAt, s.activation, hsAt, dyAt, seq, dxAt, dwAt, drAt, dbAt, scratch);
  } else {
    const gatesAt = arena.put(states.gates as Float32Array);
    if (s.cell === 'lstm') {
      const csAt = arena.put(states.cs as Float32Array);
      kernels.lstmBackward(B, T, D, U, back, xAt, wAt, rAt, mAt, s.activation, s.recurrentActivation, gatesAt, hsAt, csAt, dyAt, seq, dxAt, dwAt, drAt, dbAt, scratch);
    } else {
      kernels.gruBackward(B, T, D, U, back, xAt, wAt, rAt, mAt, s.activation, s.recurrentActivation, gatesAt, hsAt, dyAt, seq, dxAt, dwAt, drAt, dbAt, scratch);
    }
  }
  return { x: arena.take(dxAt, T * B * D), kernel: arena.take(dwAt, D * G), recurrentKernel: arena.take(drAt, U * G), bias: arena.take(dbAt, G) };
}
