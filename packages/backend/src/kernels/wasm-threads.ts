// A second thread for the WebAssembly kernels: a worker holding its own instance of the same
// module over the same shared memory. A caller splits its work in two (a recurrent layer: the
// two halves of its batch; a convolution: the two halves of its images), hands one half to
// the worker as a list of kernel calls, runs the other itself, and waits. Operands are
// allocated by the calling thread before the hand-over, so the worker only ever runs exported
// functions on addresses it is given.
//
// The hand-over is a few integers in a SharedArrayBuffer and Atomics.wait/notify, not
// postMessage: the worker wakes in microseconds, and the calling thread blocks while it waits
// because tfjs kernels are synchronous. The worker is started on first use and unref'd, so it
// never keeps a process alive. SEQLEARN_THREADS=1 or useWasmThreads(false) keeps everything on
// the calling thread.
//
// A worker that dies must not leave its caller blocked forever. Blocked in Atomics.wait, the
// calling thread never sees the worker's 'exit' event, so the worker says so itself: its exit
// handler (process.exit, an uncaught error) sets control[4] and wakes the caller, whose job then
// fails with WasmWorkerError (the calls the worker had may be half done, so they are not run
// again). A worker that dies between jobs is noticed by its 'exit' event. Either way, later
// work runs on the calling thread.

import { envVar, Worker } from '#platform';
import { WasmWorkerError } from '../errors.js';
import { wasmBuild, webAssembly, type WasmKernels } from './wasm-kernels.js';

type KernelName = Exclude<keyof WasmKernels, 'memory'>;

// control[0]: 1 while a job is handed over, 0 when the worker is idle; control[1]: 1 when the
// last job threw; control[2]: how many calls the job has; control[3]: 1 once the worker has
// instantiated the module, -1 if it could not; control[4]: 1 once the worker has exited. The calls themselves, encoded as
// numbers, go in a buffer of this many; a longer list runs on the calling thread instead.
const JOB_CAPACITY = 1 << 16;

const WORKER_START_TIMEOUT_MS = 10_000;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, args, names } = workerData;
const state = new Int32Array(control);
const values = new Float64Array(args);
process.on('exit', () => {
  Atomics.store(state, 4, 1);
  Atomics.notify(state, 0);
});
let kernels;
try {
  kernels = new WebAssembly.Instance(module, { env: { memory, abort: () => undefined } }).exports;
  Atomics.store(state, 3, 1);
} catch {
  Atomics.store(state, 3, -1);
}
Atomics.notify(state, 3);
while (kernels !== undefined) {
  Atomics.wait(state, 0, 0);
  try {
    // The job: state[2] calls, each [name index, argument count, ...arguments] in values.
    for (let call = 0, at = 0; call < state[2]; call++) {
      // A name index of -1 is the test hook failNextWasmWorkerJob: the worker dies mid-job.
      if (values[at] === -1) process.exit(1);
      const name = names[values[at]];
      const count = values[at + 1];
      kernels[name](...values.subarray(at + 2, at + 2 + count));
      at += 2 + count;
    }
    state[1] = 0;
  } catch {
    state[1] = 1;
  }
  Atomics.store(state, 0, 0);
  Atomics.notify(state, 0);
}
`;

class KernelWorker {
  private readonly state = new Int32Array(new SharedArrayBuffer(5 * 4));
  private readonly values = new Float64Array(new SharedArrayBuffer(8 * JOB_CAPACITY));
  private readonly worker: Worker;
  /** The module's exported functions; a call names one by its index here. */
  private readonly names: string[];

  constructor(build: NonNullable<typeof wasmBuild>) {
    this.names = webAssembly()
      .Module.exports(build.module)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: build.module, memory: build.memory, control: this.state.buffer, args: this.values.buffer, names: this.names },
    });
    this.worker.unref();
    this.worker.on('exit', () => Atomics.store(this.state, 4, 1));
    // Once, before the first job: a worker that cannot run the module must not be waited on.
    Atomics.wait(this.state, 3, 0, WORKER_START_TIMEOUT_MS);
    if (Atomics.load(this.state, 3) !== 1) {
      void this.worker.terminate();
      throw new Error('wasm worker: the module did not start in the worker thread');
    }
  }

  /** Starts the calls on the worker, in order; false (and nothing started) when they do not fit. */
  start(calls: KernelCall[]): boolean {
    if (this.dead) return false;
    let at = 0;
    if (dieOnNextJob) {
      dieOnNextJob = false;
      this.values[at++] = -1;
    }
    for (const { name, args } of calls) {
      if (at + 2 + args.length > JOB_CAPACITY) return false;
      this.values[at] = this.names.indexOf(name);
      this.values[at + 1] = args.length;
      this.values.set(args, at + 2);
      at += 2 + args.length;
    }
    this.state[2] = calls.length;
    Atomics.store(this.state, 0, 1);
    Atomics.notify(this.state, 0);
    return true;
  }

  /** True once the worker thread has exited; it takes no more jobs. */
  get dead(): boolean {
    return Atomics.load(this.state, 4) === 1;
  }

  /** Waits for the calls `start` handed over. */
  join(): void {
    while (Atomics.load(this.state, 0) === 1) {
      if (this.dead) {
        throw new WasmWorkerError(
          "the WebAssembly kernels' worker thread died in the middle of a job, so its result is lost; " +
            'later kernels run on the calling thread (set SEQLEARN_THREADS=1 to use one thread from the start)',
        );
      }
      // The exit handler wakes this wait; the timeout only bounds a missed wake-up.
      Atomics.wait(this.state, 0, 1, 1000);
    }
    if (this.state[1] !== 0) throw new Error('wasm worker: a kernel call failed');
  }

  /** Test hook: stops the thread as a crash would, without this object knowing. */
  kill(): Promise<number> {
    return this.worker.terminate();
  }
}

let dieOnNextJob = false;

let worker: KernelWorker | null | undefined;
let enabled = envVar('SEQLEARN_THREADS') !== '1';

function kernelWorker(): KernelWorker | null {
  if (!enabled || wasmBuild === null) return null;
  // A worker that died is not restarted: what killed it would likely kill the next one.
  if (worker?.dead) worker = null;
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

function runHere(kernels: WasmKernels, calls: KernelCall[]): void {
  for (const { name, args } of calls) (kernels[name] as (...a: number[]) => void)(...args);
}

/**
 * Runs two lists of calls, which must write disjoint memory: `there` on the worker while
 * `here` runs on this thread, each list in order. Without the worker, `there` then `here` run
 * here.
 */
export function inParallel(kernels: WasmKernels, there: KernelCall[], here: KernelCall[]): void {
  const helper = there.length > 0 && here.length > 0 ? kernelWorker() : null;
  if (helper === null || !helper.start(there)) {
    runHere(kernels, there);
    runHere(kernels, here);
    return;
  }
  try {
    runHere(kernels, here);
  } finally {
    try {
      helper.join();
    } finally {
      if (helper.dead) worker = null;
    }
  }
}

/**
 * Internal test hooks, not part of the API (reached only through this file's path): make the
 * worker exit in the middle of its next job, or stop it between jobs as a crash would.
 */
export const wasmWorkerTestHooks = {
  failNextJob(): void {
    dieOnNextJob = true;
  },
  async killIdleWorker(): Promise<void> {
    await kernelWorker()?.kill();
  },
};
