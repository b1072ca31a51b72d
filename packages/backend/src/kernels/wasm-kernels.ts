// The WebAssembly SIMD module built from asm/ (wasm/kernels.wasm, made by `pnpm build`; never
// committed), instantiated over a shared memory that a worker thread's instance also uses
// (wasm-threads.ts), and the scratch arena its callers copy operands into. Without the file, with
// SEQLEARN_WASM=0, or after useWasmKernels(false), `wasmKernels()` is null and every caller
// runs its plain-JavaScript loops.

import { envVar, readWasmKernels } from '#platform';

// The project's lib settings carry no WebAssembly types; these are the few members used.
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: {
    new (bytes: Uint8Array): object;
    exports(module: object): Array<{ name: string; kind: string }>;
  };
  Instance: new (module: object, imports: object) => { exports: object };
}

/** The global WebAssembly API: the project's lib settings (ES2023, no DOM) do not declare it. */
export function webAssembly(): WasmApi {
  const scope: object = globalThis;
  return (scope as { WebAssembly: WasmApi }).WebAssembly;
}

/** The module's exports (asm/index.ts). Pointers are byte addresses; sizes are in floats. */
export interface WasmKernels {
  memory: WasmMemory;
  gemm(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number): void;
  gemmTN(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number): void;
  transpose(rows: number, cols: number, src: number, dst: number): void;
  segmentSum(rows: number, inner: number, x: number, ids: number, from: number, to: number, acc: number): void;
  gatherRows(table: number, ids: number, count: number, inner: number, out: number): void;
  scatterAddRows(rows: number, ids: number, count: number, inner: number, table: number): void;
  maxPool(
    B: number,
    inH: number,
    inW: number,
    C: number,
    outH: number,
    outW: number,
    strideH: number,
    strideW: number,
    filterH: number,
    filterW: number,
    padTop: number,
    padLeft: number,
    x: number,
    out: number,
    where: number,
  ): void;
  maxPoolScatter(where: number, dy: number, count: number, acc: number, dx: number, size: number): void;
  tokenTapSum(
    steps: number,
    taps: number,
    filters: number,
    slots: number,
    table: number,
    out: number,
    from: number,
    to: number,
    init: number,
    bias: number,
    relu: number,
  ): void;
  reluGradColumnSums(act: number, dz: number, rows: number, cols: number, sums: number): void;
  tokenTapScatter(
    batch: number,
    steps: number,
    taps: number,
    filters: number,
    slots: number,
    dz: number,
    table: number,
    from: number,
    to: number,
  ): void;
  conv1dOutputs(
    full: number,
    out: number,
    steps: number,
    outSteps: number,
    filters: number,
    bias: number,
    relu: number,
    from: number,
    to: number,
  ): void;
  conv1dSpread(
    dOut: number,
    act: number,
    spread: number,
    batch: number,
    steps: number,
    outSteps: number,
    filters: number,
    sums: number,
  ): void;
  rmsProp(n: number, g: number, w: number, ms: number, mom: number, decay: number, momentum: number, lr: number, epsilon: number): void;
  relu(x: number, out: number, n: number): void;
  zeroFloats(x: number, n: number): void;
  step(x: number, out: number, n: number, alpha: number): void;
  /** op: 0 add, 1 sub, 2 mul, 3 div; each length n, 1, or a row length dividing n. */
  binary(op: number, a: number, aLen: number, b: number, bLen: number, out: number, n: number): void;
  // steps: the step mask [B, T] (0.0 at a padding step), or 0 for none.
  simpleRnnForward(
    B: number,
    T: number,
    D: number,
    U: number,
    back: number,
    x: number,
    W: number,
    R: number,
    bias: number,
    mask: number,
    steps: number,
    act: number,
    hs: number,
    scratch: number,
  ): void;
  simpleRnnForwardTokens(
    B: number,
    T: number,
    U: number,
    back: number,
    tokens: number,
    table: number,
    R: number,
    steps: number,
    act: number,
    hs: number,
    scratch: number,
  ): void;
  simpleRnnBackward(
    B: number,
    T: number,
    D: number,
    U: number,
    back: number,
    x: number,
    W: number,
    R: number,
    mask: number,
    steps: number,
    act: number,
    hs: number,
    dy: number,
    dySequences: number,
    dx: number,
    dW: number,
    dR: number,
    db: number,
    scratch: number,
  ): void;
  lstmForward(
    B: number,
    T: number,
    D: number,
    U: number,
    back: number,
    x: number,
    W: number,
    R: number,
    bias: number,
    mask: number,
    steps: number,
    act: number,
    ract: number,
    gates: number,
    hs: number,
    cs: number,
    scratch: number,
  ): void;
  lstmForwardTokens(
    B: number,
    T: number,
    U: number,
    back: number,
    tokens: number,
    table: number,
    R: number,
    steps: number,
    act: number,
    ract: number,
    gates: number,
    hs: number,
    cs: number,
  ): void;
  lstmBackward(
    B: number,
    T: number,
    D: number,
    U: number,
    back: number,
    x: number,
    W: number,
    R: number,
    mask: number,
    steps: number,
    act: number,
    ract: number,
    gates: number,
    hs: number,
    cs: number,
    dy: number,
    dySequences: number,
    dx: number,
    dW: number,
    dR: number,
    db: number,
    scratch: number,
  ): void;
  gruForward(
    B: number,
    T: number,
    D: number,
    U: number,
    back: number,
    x: number,
    W: number,
    R: number,
    bias: number,
    mask: number,
    steps: number,
    act: number,
    ract: number,
    gates: number,
    hs: number,
    scratch: number,
  ): void;
  gruForwardTokens(
    B: number,
    T: number,
    U: number,
    back: number,
    tokens: number,
    table: number,
    R: number,
    steps: number,
    act: number,
    ract: number,
    gates: number,
    hs: number,
    scratch: number,
  ): void;
  gruBackward(
    B: number,
    T: number,
    D: number,
    U: number,
    back: number,
    x: number,
    W: number,
    R: number,
    mask: number,
    steps: number,
    act: number,
    ract: number,
    gates: number,
    hs: number,
    dy: number,
    dySequences: number,
    dx: number,
    dW: number,
    dR: number,
    db: number,
    scratch: number,
  ): void;
  gruResetAfterForward(
    B: number,
    T: number,
    D: number,
    U: number,
    back: number,
    x: number,
    W: number,
    R: number,
    bias: number,
    mask: number,
    steps: number,
    act: number,
    ract: number,
    gates: number,
    hs: number,
    scratch: number,
  ): void;
  gruResetAfterForwardTokens(
    B: number,
    T: number,
    U: number,
    back: number,
    tokens: number,
    table: number,
    R: number,
    bias: number,
    steps: number,
    act: number,
    ract: number,
    gates: number,
    hs: number,
    scratch: number,
  ): void;
  gruResetAfterBackward(
    B: number,
    T: number,
    D: number,
    U: number,
    back: number,
    x: number,
    W: number,
    R: number,
    mask: number,
    steps: number,
    act: number,
    ract: number,
    gates: number,
    hs: number,
    dy: number,
    dySequences: number,
    dx: number,
    dW: number,
    dR: number,
    db: number,
    scratch: number,
  ): void;
}

/** The compiled module and its shared memory, which a worker thread instantiates again. */
export interface WasmBuild {
  module: object;
  memory: WasmMemory;
  kernels: WasmKernels;
}

/** The memory's size limits in 64 KiB pages, as scripts/build-wasm.mjs declares them. */
const WASM_PAGES = { initial: 2, maximum: 65536 } as const;

/** Instantiates the compiled module over `memory` (its only import). */
function instantiateKernels(module: object, memory: WasmMemory): WasmKernels {
  const instance = new (webAssembly().Instance)(module, { env: { memory, abort: () => undefined } });
  return instance.exports as WasmKernels;
}

function load(): WasmBuild | null {
  if (envVar('SEQLEARN_WASM') === '0') return null;
  try {
    const bytes = readWasmKernels();
    if (bytes === null) return null;
    const wa = webAssembly();
    const module = new wa.Module(bytes);
    const memory = new wa.Memory({ ...WASM_PAGES, shared: true });
    return { module, memory, kernels: instantiateKernels(module, memory) };
  } catch {
    return null;
  }
}

/** The built module, whether or not it is switched on; null when it is missing. */
export const wasmBuild = load();
const loaded = wasmBuild?.kernels ?? null;
let enabled = true;

/** The module when it is built and switched on, else null. */
export function wasmKernels(): WasmKernels | null {
  return enabled ? loaded : null;
}

/**
 * Switches the WebAssembly kernels on (when built) or off, so that tests and benchmarks can
 * compare them with the JavaScript loops. Returns whether they are on.
 */
export function useWasmKernels(on: boolean): boolean {
  enabled = on;
  return wasmKernels() !== null;
}

/** Where operands start: the first page is left to the module's own statics. */
const BASE = 65536;

/** A block of the module's memory kept past the call that filled it (see WasmArena.keep). */
export interface WasmFrame {
  readonly start: number;
  readonly end: number;
  live: boolean;
}

/**
 * Bump allocation in the module's memory. Each call starts with `start()`, allocates its
 * operands with `alloc`/`put`, runs, and reads results back with `take`; the next call's
 * `start()` reuses the same memory, so temporaries are never freed one by one. Calls never
 * nest (JavaScript is single-threaded and the kernels call no JavaScript).
 *
 * A call can instead `keep` what it allocated, as a frame that later calls allocate above:
 * a recurrent layer's forward pass keeps its states there for its backward pass. Frames are
 * dropped in any order; memory is reclaimed from the top down, so the usual last-in,
 * first-out order of forward and backward passes reclaims it at once. Memory only grows.
 */
export class WasmArena {
  private next = BASE;
  private view = new Float32Array(0);
  private readonly frames: WasmFrame[] = [];

  constructor(private readonly kernels: WasmKernels) {}

  /** Begins a call: allocation restarts above the last frame still kept. */
  start(): this {
    this.next = this.floor();
    return this;
  }

  /** Where the next allocation goes; pass it to `keep` to keep what follows. */
  mark(): number {
    return this.next;
  }

  /** Keeps everything allocated since `from` (a `mark()` of this call) past the call. */
  keep(from: number): WasmFrame {
    const frame: WasmFrame = { start: from, end: this.next, live: true };
    this.frames.push(frame);
    return frame;
  }

  /** Gives a frame's memory back (at once when it is the top frame, else when those above go). */
  drop(frame: WasmFrame): void {
    frame.live = false;
    while (this.frames.length > 0 && !this.frames[this.frames.length - 1].live) this.frames.pop();
  }

  /** Room for `floats` floats, 16-byte aligned; zeroed when asked. Returns the byte address. */
  alloc(floats: number, zero = false): number {
    const at = this.next;
    this.next = (at + floats * 4 + 15) & ~15;
    const memory = this.kernels.memory;
    if (this.next > memory.buffer.byteLength) memory.grow(Math.ceil((this.next - memory.buffer.byteLength) / 65536));
    if (zero) this.floats().fill(0, at / 4, at / 4 + floats);
    return at;
  }

  /** Copies `values` in; returns their byte address. */
  put(values: Float32Array): number {
    const at = this.alloc(values.length);
    this.floats().set(values, at / 4);
    return at;
  }

  /** Copies int32 `values` in, bit for bit; returns their byte address. */
  putInt32(values: Int32Array): number {
    return this.put(new Float32Array(values.buffer, values.byteOffset, values.length));
  }

  /** A float32 copy of `count` float64s at byte address `at` (rounded once each). */
  takeFloat64(at: number, count: number): Float32Array {
    return new Float32Array(new Float64Array(this.kernels.memory.buffer, at, count));
  }

  /** A copy of `floats` floats at byte address `at`. */
  take(at: number, floats: number): Float32Array {
    return this.floats().slice(at / 4, at / 4 + floats);
  }

  /**
   * The elementwise sum of `floats` floats at each byte address, added in the order given and
   * rounded to float32 after each addition: partial sums that two threads kept apart.
   */
  takeSum(addresses: number[], floats: number): Float32Array {
    const [first, ...rest] = addresses;
    const total = this.take(first, floats);
    const memory = this.floats();
    for (const at of rest) {
      const from = at / 4;
      for (let i = 0; i < floats; i++) total[i] += memory[from + i];
    }
    return total;
  }

  /** The memory as floats (a fresh view after any growth). */
  floats(): Float32Array {
    if (this.view.buffer !== this.kernels.memory.buffer) this.view = new Float32Array(this.kernels.memory.buffer);
    return this.view;
  }

  private floor(): number {
    return this.frames.length > 0 ? this.frames[this.frames.length - 1].end : BASE;
  }
}

export const wasmArena: WasmArena | null = loaded === null ? null : new WasmArena(loaded);

/**
 * Below this many floats, a whole-tensor pass (elementwise, gather, pooling) costs less in
 * JavaScript than the copies into and out of the module.
 */
const WASM_MIN_ELEMENTS = 1 << 14;

/** The module and a fresh arena for a whole-tensor pass over `elements` floats, or null to stay in JavaScript. */
export function wasmForPass(elements: number): { kernels: WasmKernels; arena: WasmArena } | null {
  const kernels = wasmKernels();
  if (kernels === null || wasmArena === null || elements < WASM_MIN_ELEMENTS) return null;
  return { kernels, arena: wasmArena.start() };
}
