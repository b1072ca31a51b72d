// The WebAssembly SIMD loop for text vectors lines (asm/parse-lines.ts, built into
// wasm/parse-lines.wasm by `pnpm build` / `pnpm test`; never committed). Without the file,
// or with SEQLEARN_WASM=0, `LineKernel.create()` returns undefined and the text parser
// runs its JavaScript loop, which gives the same values.
import { readFileSync } from 'node:fs';

// The project's lib settings carry no WebAssembly types; these are the few members used.
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
interface KernelExports {
  memory: WasmMemory;
  parseLines(input: number, length: number, dim: number, out: number, meta: number, maxLines: number): number;
}

const PAGE = 65536;
/** Input starts here: the first page holds the module's tables. */
const BASE = PAGE;
/** Lines per call: bounds the line table (12 bytes a line). */
const MAX_LINES = 4096;
/** Readable bytes the SIMD loads may touch past the input's last newline. */
const PADDING = 32;
/** Input copied in per call, at most (a long in-memory input goes through in windows). */
const WINDOW = 1 << 20;

let compiled: object | null | undefined;
let enabled = true;

/** Switches the WebAssembly loop off (or back on) for readers made after the call; for tests and benchmarks. */
export function setLineKernelEnabled(on: boolean): void {
  enabled = on;
}

function wasmApi(): WasmApi {
  return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
}

function compiledModule(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (process.env['SEQLEARN_WASM'] === '0') return compiled;
  try {
    compiled = new (wasmApi().Module)(readFileSync(new URL('../wasm/parse-lines.wasm', import.meta.url)));
  } catch {
    compiled = null;
  }
  return compiled;
}

/** True when the WebAssembly loop is there (built, and not switched off). */
export function lineKernelAvailable(): boolean {
  return compiledModule() !== null;
}

/**
 * One reader's instance of the module (its memory holds one chunk of input, the values
 * of that chunk's lines and the line table; a few MiB, dropped with the reader).
 */
export class LineKernel {
  /** Per line: start, end of the word, (newline << 1) | parsed; offsets into the chunk. */
  meta = new Int32Array(0);
  /** The values of the parsed lines, `dim` per line, in line order. */
  values = new Float32Array(0);
  private bytes = new Uint8Array(0);
  private capacity = 0;
  private outAt = 0;
  private metaAt = 0;

  private constructor(private readonly exports: KernelExports) {}

  static create(): LineKernel | undefined {
    const module = enabled ? compiledModule() : null;
    if (module === null) return undefined;
    const instance = new (wasmApi().Instance)(module, { env: { abort: () => undefined } });
    return new LineKernel(instance.exports as KernelExports);
  }

  /**
   * Parses the lines of `chunk[start, end)` (which ends with a newline) with `dim` values
   * each, up to MAX_LINES at a time; `onLines(base, count)` reads `meta` and `values`
   * after each call (offsets in meta are from `base`, an index into chunk).
   */
  run(chunk: Uint8Array, start: number, end: number, dim: number, onLines: (base: number, count: number) => void): void {
    while (start < end) {
      // A window ends at a newline: the last one within WINDOW bytes, or the first after (a long line).
      let stop = end;
      if (end - start > WINDOW) {
        stop = chunk.lastIndexOf(10, start + WINDOW - 1) + 1;
        if (stop <= start) stop = chunk.indexOf(10, start + WINDOW) + 1;
      }
      this.runWindow(chunk, start, stop, dim, onLines);
      start = stop;
    }
  }

  private runWindow(chunk: Uint8Array, start: number, end: number, dim: number, onLines: (base: number, count: number) => void): void {
    const length = end - start;
    this.reserve(length, dim);
    this.bytes.set(chunk.subarray(start, end), BASE);
    let offset = 0;
    while (offset < length) {
      const count = this.exports.parseLines(BASE + offset, length - offset, dim, this.outAt, this.metaAt, MAX_LINES);
      onLines(start + offset, count);
      offset += (this.meta[3 * count - 1] >> 1) + 1;
    }
  }

  /** Room for `length` bytes of input and the values of as many lines as can fit in them. */
  private reserve(length: number, dim: number): void {
    // A parsed line holds at least a one-byte word, then `dim` times a space and a digit, then its newline.
    const rows = Math.min(MAX_LINES, Math.floor(length / (2 * dim + 2)) + 1);
    const inputBytes = Math.max(length + PADDING, this.capacity);
    const outAt = align(BASE + inputBytes);
    const metaAt = align(outAt + rows * dim * 4);
    const needed = metaAt + MAX_LINES * 12;
    const memory = this.exports.memory;
    if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
    if (this.bytes.buffer !== memory.buffer || inputBytes !== this.capacity || outAt !== this.outAt || this.values.length < rows * dim) {
      this.capacity = inputBytes;
      this.outAt = outAt;
      this.metaAt = metaAt;
      this.bytes = new Uint8Array(memory.buffer);
      this.values = new Float32Array(memory.buffer, outAt, rows * dim);
      this.meta = new Int32Array(memory.buffer, metaAt, MAX_LINES * 3);
    }
  }
}

function align(address: number): number {
  return (address + 63) & ~63;
}
