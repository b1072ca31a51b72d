// A valid, stride-1 Conv1D's training passes (@seqlearn/models' compiled step) with the
// operands in the WebAssembly module from the first copy in to the last copy out. The products
// are those of the models package's conv1d-products.ts, which owns the JavaScript loops: the
// input read in place as overlapping windows (leading dimension `channels`), the whole batch as
// one long sequence, so one product splits over the two threads; the input's gradient a full
// convolution of the spread output gradient with the flipped kernel. What used to be
// JavaScript passes between the products (the bias, Relu, dropping the rows that straddle two
// sequences, Relu's gradient, the bias's column sums, spreading the gradient) runs here beside
// them (asm/conv1d.ts), so each array crosses into the module once.

import { gemmInModule } from './matmul-gemm.js';
import { wasmArena, wasmKernels } from './wasm-kernels.js';
import { inParallel, wasmThreads } from './wasm-threads.js';

export interface Conv1dValidShape {
  batch: number;
  steps: number;
  channels: number;
  taps: number;
  filters: number;
}

/** Rows of the batch-long product: every start position whose taps stay inside the batch. */
function productRows(s: Conv1dValidShape): number {
  return s.batch * s.steps - s.taps + 1;
}

/**
 * out (`[batch, steps − taps + 1, filters]`) = act(bias + conv(x, kernel)), act Relu when
 * `relu`, else none. Returns false, touching nothing, when the WebAssembly kernels are off:
 * the caller runs its JavaScript loops.
 */
export function conv1dForwardInModule(
  s: Conv1dValidShape,
  x: Float32Array,
  kernel: Float32Array,
  bias: Float32Array | null,
  relu: boolean,
  out: Float32Array,
): boolean {
  const kernels = wasmKernels();
  if (kernels === null || wasmArena === null) return false;
  const { batch, steps, channels, taps, filters } = s;
  const arena = wasmArena.start();
  const xAt = arena.put(x),
    kernelAt = arena.put(kernel),
    biasAt = bias === null ? 0 : arena.put(bias),
    fullAt = arena.alloc(productRows(s) * filters),
    outAt = arena.alloc(out.length);
  gemmInModule(kernels, productRows(s), filters, taps * channels, xAt, channels, false, kernelAt, filters, fullAt, filters, true);
  const outSteps = steps - taps + 1;
  const half = wasmThreads() > 1 && out.length >= 1 << 16 ? batch >> 1 : 0;
  const call = (from: number, to: number) => ({
    name: 'conv1dOutputs' as const,
    args: [fullAt, outAt, steps, outSteps, filters, biasAt, relu ? 1 : 0, from, to],
  });
  inParallel(kernels, half > 0 ? [call(0, half)] : [], [call(half, batch)]);
  out.set(arena.floats().subarray(outAt / 4, outAt / 4 + out.length));
  return true;
}

/**
 * The backward pass: with dOut the gradient of the outputs and `activations` the Relu outputs
 * (null for none), kernelGrad += the kernel's gradient and biasGrad += the bias's (each when
 * given), and dx = the input's gradient (when given; its values are replaced). dOut is not
 * changed. Returns false, touching nothing, when the WebAssembly kernels are off.
 */
export function conv1dBackwardInModule(
  s: Conv1dValidShape,
  x: Float32Array,
  kernel: Float32Array,
  activations: Float32Array | null,
  dOut: Float32Array,
  kernelGrad: Float32Array | null,
  biasGrad: Float32Array | null,
  dx: Float32Array | null,
): boolean {
  const kernels = wasmKernels();
  if (kernels === null || wasmArena === null) return false;
  const { batch, steps, channels, taps, filters } = s;
  const outSteps = steps - taps + 1;
  const arena = wasmArena.start();
  const lead = (taps - 1) * filters;
  const dOutAt = arena.put(dOut),
    actAt = activations === null ? 0 : arena.put(activations),
    sumsAt = biasGrad === null ? 0 : arena.put(biasGrad),
    spreadAt = arena.alloc(lead + batch * steps * filters, true);
  kernels.conv1dSpread(dOutAt, actAt, spreadAt + lead * 4, batch, steps, outSteps, filters, sumsAt);
  const memory = () => arena.floats();
  if (biasGrad !== null) biasGrad.set(memory().subarray(sumsAt / 4, sumsAt / 4 + filters));
  if (kernelGrad !== null) {
    const xAt = arena.put(x),
      gradAt = arena.put(kernelGrad);
    gemmInModule(kernels, taps * channels, filters, productRows(s), xAt, channels, true, spreadAt + lead * 4, filters, gradAt, filters);
    kernelGrad.set(memory().subarray(gradAt / 4, gradAt / 4 + kernelGrad.length));
  }
  if (dx !== null) {
    const flippedAt = arena.put(flipTaps(kernel, taps, channels, filters)),
      dxAt = arena.alloc(dx.length);
    gemmInModule(kernels, batch * steps, channels, taps * filters, spreadAt, filters, false, flippedAt, channels, dxAt, channels, true);
    dx.set(memory().subarray(dxAt / 4, dxAt / 4 + dx.length));
  }
  return true;
}

/** `[taps, channels, filters]` → `[taps · filters, channels]` with the taps in reverse order: the input gradient's right operand. */
export function flipTaps(kernel: Float32Array, taps: number, channels: number, filters: number): Float32Array {
  const flipped = new Float32Array(kernel.length);
  for (let j = 0; j < taps; j++) {
    const k = taps - 1 - j;
    for (let c = 0; c < channels; c++) {
      const from = (k * channels + c) * filters;
      for (let f = 0; f < filters; f++) flipped[(j * filters + f) * channels + c] = kernel[from + f];
    }
  }
  return flipped;
}
