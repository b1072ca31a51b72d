// Whole-sequence SimpleRNN, LSTM and GRU passes in the WebAssembly module (asm/recurrent.ts),
// for the fused recurrent layers of @seqlearn/models. Operands are copied into the module's
// memory; when gradients are being recorded, the forward pass keeps its input and states
// there for the backward pass (an LSTM's are tens of megabytes a batch, so copying them out
// and back in would cost more than some of the arithmetic).
//
// Layouts (see @seqlearn/models' fused-recurrent-math.ts for the math): x is [B, T, D] as the
// layer receives it, with input dropout already applied; kernel [D, G·U];
// recurrentKernel [U, G·U]; bias [G·U]; recurrentMask [B, U] already scaled.

import { wasmArena, wasmKernels, type WasmArena, type WasmFrame, type WasmKernels } from './wasm-kernels.js';

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

export interface RecurrentPassOptions {
  /** Keep the states in the module's memory for `backward` (when gradients are recorded). */
  forBackward: boolean;
  /** Also return h after every step (for returnSequences). */
  allSteps: boolean;
}

/** A forward pass: its outputs, and the backward pass over the states it kept. */
export interface RecurrentPass {
  /** h after the last step, [B, U]. */
  last: Float32Array;
  /** h after every step, time-major [T, B, U]; null unless asked for. */
  steps: Float32Array | null;
  /**
   * Backpropagation through time, once. `dy` is the upstream gradient of the outputs:
   * time-major [T, B, U] when `dySequences`, else [B, U] for the last step only.
   */
  backward(dy: Float32Array, dySequences: boolean): RecurrentGradients;
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
  return wasmKernels() !== null && units % 4 === 0;
}

function module(): { kernels: WasmKernels; arena: WasmArena } {
  const kernels = wasmKernels();
  if (kernels === null || wasmArena === null) throw new Error('the WebAssembly kernels are not built (run `pnpm build`) or are switched off');
  return { kernels, arena: wasmArena.start() };
}

/** Scratch for any pass of any cell (the backward passes need the most). */
function scratchFloats(s: RecurrentShape): number {
  const G = GATES[s.cell] * s.units;
  const BU = s.batch * s.units;
  return 6 * BU + s.batch * G + G * s.inputDim + G * s.units + 2 * G + 64;
}

/** Kept states whose backward pass never ran go back when their pass is collected. */
const unclaimed = new FinalizationRegistry<WasmFrame>((frame) => wasmArena?.drop(frame));

/** Where a pass's inputs and states sit in the module's memory (byte addresses; 0 = none). */
interface Addresses {
  x: number;
  hs: number;
  cs: number;
  gates: number;
}

export function recurrentForward(s: RecurrentShape, x: Float32Array, w: RecurrentWeights, options: RecurrentPassOptions): RecurrentPass {
  const { kernels, arena } = module();
  const { batch: B, steps: T, inputDim: D, units: U } = s;
  const back = s.goBackwards ? 1 : 0;
  const G = GATES[s.cell] * U;
  const BU = B * U;
  // What the backward pass reads comes first, so that it can be kept as one frame.
  const from = arena.mark();
  const at: Addresses = {
    x: arena.put(x),
    hs: arena.alloc((T + 1) * BU, true),
    cs: s.cell === 'lstm' ? arena.alloc((T + 1) * BU, true) : 0,
    gates: s.cell === 'simpleRNN' ? 0 : arena.alloc(T * B * G),
  };
  const frame = options.forBackward ? arena.keep(from) : null;
  const wAt = arena.put(w.kernel);
  const rAt = arena.put(w.recurrentKernel);
  const bAt = w.bias === null ? 0 : arena.put(w.bias);
  const mAt = w.recurrentMask === null ? 0 : arena.put(w.recurrentMask);
  const scratch = arena.alloc(scratchFloats(s));
  try {
    if (s.cell === 'simpleRNN') {
      kernels.simpleRnnForward(B, T, D, U, back, at.x, wAt, rAt, bAt, mAt, s.activation, at.hs, scratch);
    } else if (s.cell === 'lstm') {
      kernels.lstmForward(B, T, D, U, back, at.x, wAt, rAt, bAt, mAt, s.activation, s.recurrentActivation, at.gates, at.hs, at.cs, scratch);
    } else {
      kernels.gruForward(B, T, D, U, back, at.x, wAt, rAt, bAt, mAt, s.activation, s.recurrentActivation, at.gates, at.hs, scratch);
    }
  } catch (error) {
    if (frame !== null) arena.drop(frame);
    throw error;
  }
  const pass: RecurrentPass = {
    last: arena.take(at.hs + T * BU * 4, BU),
    steps: options.allSteps ? arena.take(at.hs + BU * 4, T * BU) : null,
    backward(dy, dySequences) {
      if (frame === null || !frame.live) {
        throw new Error('RecurrentPass.backward: this forward pass kept no states (forBackward false, or backward already ran)');
      }
      // The states are in the module's memory, so this runs there even if switched off since.
      const gradients = backward(kernels, s, w, at, dy, dySequences);
      unclaimed.unregister(pass);
      wasmArena?.drop(frame);
      return gradients;
    },
  };
  if (frame !== null) unclaimed.register(pass, frame, pass);
  return pass;
}

function backward(
  kernels: WasmKernels, s: RecurrentShape, w: RecurrentWeights, at: Addresses, dy: Float32Array, dySequences: boolean,
): RecurrentGradients {
  const arena = (wasmArena as WasmArena).start();
  const { batch: B, steps: T, inputDim: D, units: U } = s;
  const back = s.goBackwards ? 1 : 0;
  const G = GATES[s.cell] * U;
  const wAt = arena.put(w.kernel);
  const rAt = arena.put(w.recurrentKernel);
  const mAt = w.recurrentMask === null ? 0 : arena.put(w.recurrentMask);
  const dyAt = arena.put(dy);
  const dxAt = arena.alloc(T * B * D, true);
  const dwAt = arena.alloc(D * G, true);
  const drAt = arena.alloc(U * G, true);
  const dbAt = arena.alloc(G);
  const scratch = arena.alloc(scratchFloats(s));
  const seq = dySequences ? 1 : 0;
  if (s.cell === 'simpleRNN') {
    kernels.simpleRnnBackward(B, T, D, U, back, at.x, wAt, rAt, mAt, s.activation, at.hs, dyAt, seq, dxAt, dwAt, drAt, dbAt, scratch);
  } else if (s.cell === 'lstm') {
    kernels.lstmBackward(B, T, D, U, back, at.x, wAt, rAt, mAt, s.activation, s.recurrentActivation, at.gates, at.hs, at.cs, dyAt, seq, dxAt, dwAt, drAt, dbAt, scratch);
  } else {
    kernels.gruBackward(B, T, D, U, back, at.x, wAt, rAt, mAt, s.activation, s.recurrentActivation, at.gates, at.hs, dyAt, seq, dxAt, dwAt, drAt, dbAt, scratch);
  }
  return { x: arena.take(dxAt, T * B * D), kernel: arena.take(dwAt, D * G), recurrentKernel: arena.take(drAt, U * G), bias: arena.take(dbAt, G) };
}
