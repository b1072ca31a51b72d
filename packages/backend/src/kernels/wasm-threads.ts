// A second thread for the WebAssembly kernels: a worker holding its own instance of the same
// module over the same shared memory. A caller splits its work in two (a recurrent layer: the
// two halves of its batch), hands one half to the worker, runs the other itself, and waits.
// Operands are allocated by the calling thread before the hand-over, so the worker only ever
// runs one exported function on addresses it is given.
//
// The hand-over is a few integers in a SharedArrayBuffer and Atomics.wait/notify, not
// postMessage: the worker wakes in microseconds, and the calling thread blocks while it waits
// because tfjs kernels are synchronous. The worker is started on first use and unref'd, so it
// never keeps a process alive. SEQLEARN_THREADS=1 or useWasmThreads(false) keeps everything on
// the calling thread.

import { Worker } from 'node:worker_threads';
import { wasmBuild, type WasmKernels } from './wasm-kernels.js';

type KernelName = Exclude<keyof WasmKernels, 'memory'>;

// control[0]: 1 while a job is handed over, 0 when the worker is idle; control[1]: 1 when the
// last job threw. The job itself: the export's name index and its arguments (all numbers).
const MAX_ARGS = 32;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, args, names } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory, abort: () => undefined } }).exports;
const state = new Int32Array(control);
const values = new Float64Array(args);
for (;;) {
  Atomics.wait(state, 0, 0);
  const name = names[state[2]];
  const count = state[3];
  try {
    kernels[name](...Array.from(values.subarray(0, count)));
    state[1] = 0;
  } catch {
    state[1] = 1;
  }
  Atomics.store(state, 0, 0);
  Atomics.notify(state, 0);
}
`;

const KERNEL_NAMES: KernelName[] = [
  'gemm', 'gemmTN', 'transpose', 'segmentSum',
  'simpleRnnForward', 'simpleRnnBackward', 'lstmForward', 'lstmBackward', 'gruForward', 'gruBackward',
];

class KernelWorker {
  private readonly state = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly values = new Float64Array(new SharedArrayBuffer(8 * MAX_ARGS));
  private readonly worker: Worker;

  constructor(build: NonNullable<typeof wasmBuild>) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: build.module, memory: build.memory, control: this.state.buffer, args: this.values.buffer, names: KERNEL_NAMES },
    });
    this.worker.unref();
  }

  /** Starts `name(...args)` on the worker; `join` waits for it. */
  start(name: KernelName, args: number[]): void {
    if (args.length > MAX_ARGS) throw new Error(`wasm worker: ${name} takes at most ${MAX_ARGS} arguments`);
    this.values.set(args);
    this.state[2] = KERNEL_NAMES.indexOf(name);
    this.state[3] = args.length;
    Atomics.store(this.state, 0, 1);
    Atomics.notify(this.state, 0);
  }

  join(name: KernelName): void {
    while (Atomics.load(this.state, 0) === 1) Atomics.wait(this.state, 0, 1);
    if (this.state[1] !== 0) throw new Error(`wasm worker: ${name} failed`);
  }
}

let worker: KernelWorker | null | undefined;
let enabled = process.env['SEQLEARN_THREADS'] !== '1';

function kernelWorker(): KernelWorker | null {
  if (!enabled || wasmBuild === null) return null;
  if (worker === undefined) {
    try {
      worker = new KernelWorker(wasmBuild);
    } catch {
      worker = null;
    }
  }
  return worker;
}

/**
 * Switches the second thread on (the default) or off, so that tests and benchmarks can compare
 * one thread with two. Returns whether it is on.
 */
export function useWasmThreads(on: boolean): boolean {
  enabled = on;
  return kernelWorker() !== null;
}

/** How many threads `inParallel` uses: 2 with the worker, else 1. */
export function wasmThreads(): number {
  return kernelWorker() === null ? 1 : 2;
}

/** One call of an exported kernel: its name and arguments. */
export interface KernelCall {
  name: KernelName;
  args: number[];
}

/**
 * Runs the calls, which must touch disjoint outputs: the first on the worker while the rest run
 * here, one after another. Without the worker, all run here in order.
 */
export function inParallel(kernels: WasmKernels, calls: KernelCall[]): void {
  const helper = calls.length > 1 ? kernelWorker() : null;
  const [first, ...rest] = calls;
  if (helper === null) {
    for (const { name, args } of calls) (kernels[name] as (...a: number[]) => void)(...args);
    return;
  }
  helper.start(first.name, first.args);
  try {
    for (const { name, args } of rest) (kernels[name] as (...a: number[]) => void)(...args);
  } finally {
    helper.join(first.name);
  }
}
