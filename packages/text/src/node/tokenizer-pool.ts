import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { SeqlearnError, UnavailableError } from '@seqlearn/dataset';
import type { TextInput } from '../analyzer.js';
import { InvalidOptionError, TextInputError } from '../errors.js';
import type { RaggedSequences } from '../ragged.js';
import { raggedRows } from '../ragged.js';
import { describeValue } from '../text-to-word-sequence.js';
import { TokenCountsMerger, unpackTokenCounts, type PackedTokenCounts, type TokenCounts } from '../token-counts.js';
import { packEncodingTable, type EncodingTable, type PackedEncodingTable } from '../text-encoding.js';
import type { Tokenizer } from '../tokenizer.js';
import { packTexts, type PackedTexts, type WorkerReply, type WorkerRequest, type WorkerTokenizerOptions } from './protocol.js';

export interface TokenizerPoolOptions {
  /**
   * Threads that count and convert (default: the machine's available parallelism). With two
   * or more, the calling thread is one of them: it works a share of each call's texts itself
   * (blocking for that time) beside threads - 1 workers. With one, a single worker does it all
   * and the calling thread stays free.
   */
  threads?: number;
  /**
   * Bytes of text one chunk holds at most (a character takes one byte, or two in texts with
   * characters beyond U+00FF). A worker's share is sent in about 48 chunks of at least 64 KiB,
   * two at a time, from two buffers the worker keeps. Default 2^25 (32 MiB).
   */
  maxChunkBytes?: number;
  /** Passed to each Worker (e.g. `maxOldGenerationSizeMb` to cap a worker's heap). */
  resourceLimits?: ResourceLimits;
}

/** A worker that died or could not start: its pending chunk cannot be finished. */
export class TokenizerWorkerError extends UnavailableError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'ERR_TOKENIZER_WORKER', cause });
  }
}

const DEFAULT_MAX_CHUNK_BYTES = 2 ** 25;
/** Chunks a worker's run is cut into: the finer, the closer together the threads finish. */
const CHUNKS_PER_RUN = 48;
/**
 * The fewest chunks one thread takes over from another when counting: the part it makes has
 * its own vocabulary to merge, about as many words as a few chunks take to count.
 */
const MIN_COUNT_STEAL_CHUNKS = 4;
/** Below this, sending a chunk costs more than the balance it buys. */
const MIN_CHUNK_BYTES = 2 ** 16;

/** The rows from `start` on of a call's result that the calling thread worked (`local`) or a worker sent back. */
type Part<L> = { start: number; local: L } | { start: number; reply: WorkerReply };

/**
 * Consecutive rows a worker works as one part (counting: one running count): its chunks, the
 * next one to send, and where the chunks the calling thread took off its end begin.
 */
interface WorkerRun {
  part: number;
  chunks: Array<[start: number, end: number, size: number]>;
  next: number;
  end: number;
  flushed: boolean;
}

/** A worker during one call: its runs, in the order it works them. */
interface WorkerState {
  worker: PoolWorker;
  runs: WorkerRun[];
  inFlight: number;
  /** Chunks sent so far, to alternate between the worker's two buffers. */
  sent: number;
  /** Size of the chunks it finished, and when it finished the last one. */
  bytes: number;
  lastReply: number;
}

/** Rows the calling thread is working through; `next` is updated whenever it reads the workers' replies. */
interface LocalRange {
  next: number;
  end: number;
}

/**
 * Tokenizer fitting and conversion over worker threads. The texts are cut into contiguous
 * chunks: the calling thread works the first share itself (with two threads or more), each
 * worker counts or converts the chunks it is given, and the results are put
 * back together in text order, so the tokenizer ends up exactly as `fitOnTexts` would leave
 * it (word counts, document counts, first-seen order and so the index) and the sequences
 * are exactly `textsToSequences`'s.
 *
 * Workers start on first use and stay for later calls; they do not keep the process alive
 * while idle. `close()` ends them. Node.js only (`@seqlearn/text/node`).
 */
export class TokenizerPool {
  readonly threads: number;
  private readonly maxChunkBytes: number;
  private readonly resourceLimits: ResourceLimits | undefined;
  private workers: PoolWorker[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private tableKeys = new WeakMap<EncodingTable, number>();
  private nextTableKey = 1;
  private nextPart = 1;
  /**
   * The calling thread's share of the bytes, per kind of call, learned from the last calls:
   * it reads its texts in place while a worker decodes its chunk (and builds the index's
   * lookup once per table), so equal shares would leave the calling thread waiting.
   */
  private localShare = { count: 0, encode: 0 };

  constructor(options: TokenizerPoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1)
      throw new InvalidOptionError('threads', `threads must be an integer >= 1, got ${describeValue(threads)}`);
    const maxChunkBytes = options.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES;
    if (!Number.isInteger(maxChunkBytes) || maxChunkBytes < 1) {
      throw new InvalidOptionError('maxChunkBytes', `maxChunkBytes must be an integer >= 1, got ${describeValue(maxChunkBytes)}`);
    }
    this.threads = threads;
    this.maxChunkBytes = maxChunkBytes;
    this.resourceLimits = options.resourceLimits;
  }

  /** `tokenizer.fitOnTexts(texts)`, counted on the workers (and the calling thread). */
  async fitOnTexts(tokenizer: Tokenizer, texts: readonly TextInput[]): Promise<void> {
    const options = workerOptions(tokenizer);
    if (options === undefined) return tokenizer.fitOnTexts(checkArray(texts, 'fitOnTexts'));
    const parts = await this.countParts(tokenizer, options, checkArray(texts, 'fitOnTexts'));
    // The workers' counts merge straight from their packed form: no word already counted is sliced or hashed again.
    const merger = new TokenCountsMerger(true);
    for (const part of parts) {
      if ('local' in part) merger.add(part.local);
      else merger.addPacked(part.counts);
    }
    tokenizer.fitOnCounts(merger.result());
  }

  /**
   * The partial counts of consecutive chunks of `texts`, in text order: `fitOnCounts` of them
   * is `fitOnTexts(texts)`, and they merge with counts of other texts (other shards) the same way.
   */
  async countTexts(tokenizer: Tokenizer, texts: readonly TextInput[]): Promise<TokenCounts[]> {
    const options = workerOptions(tokenizer);
    if (options === undefined) return [tokenizer.countTexts(checkArray(texts, 'countTexts'))];
    const parts = await this.countParts(tokenizer, options, checkArray(texts, 'countTexts'));
    return parts.map((part) => ('local' in part ? part.local : unpackTokenCounts(part.counts)));
  }

  /** Counts of consecutive runs of `texts` in text order: the calling thread's, and the workers' still packed. */
  private async countParts(
    tokenizer: Tokenizer,
    options: WorkerTokenizerOptions,
    texts: readonly TextInput[],
  ): Promise<Array<{ local: TokenCounts } | { counts: PackedTokenCounts }>> {
    // Parts are numbered from here on in this call: a worker drops what earlier, failed calls left.
    const since = this.nextPart;
    const parts = await this.run<TokenCounts>(
      'count',
      texts,
      (id, packed, _worker, firstRow, part) => ({ id, kind: 'count', part, since, options, texts: packed, firstRow }),
      (id, part) => ({ id, kind: 'flush', part }),
      (share, firstRow) => tokenizer.countTexts(share, firstRow),
    );
    return parts.map((part) =>
      'local' in part ? { local: part.local } : { counts: (part.reply as Extract<WorkerReply, { kind: 'counts' }>).counts },
    );
  }

  /** `tokenizer.textsToRaggedSequences(texts)`, converted on the workers (and the calling thread). */
  async textsToRaggedSequences(tokenizer: Tokenizer, texts: readonly TextInput[]): Promise<RaggedSequences> {
    const options = workerOptions(tokenizer);
    if (options === undefined) return tokenizer.textsToRaggedSequences(checkArray(texts, 'textsToRaggedSequences'));
    const table = tokenizer.encodingTable();
    let tableKey = this.tableKeys.get(table);
    if (tableKey === undefined) this.tableKeys.set(table, (tableKey = this.nextTableKey++));
    let packedTable: PackedEncodingTable | undefined;
    const parts = await this.run<RaggedSequences>(
      'encode',
      checkArray(texts, 'textsToRaggedSequences'),
      (id, packed, worker, firstRow) => {
        // Each worker keeps the last table it was sent.
        const send = worker.tableKey !== tableKey;
        worker.tableKey = tableKey;
        if (send) packedTable ??= packEncodingTable(table);
        return { id, kind: 'encode', options, texts: packed, firstRow, tableKey, table: send ? packedTable : undefined };
      },
      undefined,
      (share, firstRow) => tokenizer.textsToRaggedSequencesWith(table, share, firstRow),
    );
    return concatRagged(parts.map((part) => ('local' in part ? part.local : (part.reply as Extract<WorkerReply, { kind: 'sequences' }>))));
  }

  /** `tokenizer.textsToSequences(texts)`, converted on the workers (and the calling thread). */
  async textsToSequences(tokenizer: Tokenizer, texts: readonly TextInput[]): Promise<number[][]> {
    return raggedRows(await this.textsToRaggedSequences(tokenizer, texts)).map((row) => Array.from(row));
  }

  /** Ends the workers. The pool can still be used: it starts new ones. */
  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }

  /**
   * Runs one call and returns its parts in text order. With two threads or more, the calling
   * thread works through the first rows itself while each of threads - 1 workers is sent the
   * chunks of a run of rows of its own, one after the other. Whoever runs out of work first
   * takes half of what is left: the calling thread, the chunks not sent yet off the end of
   * the run with the most left; a worker, the second half of the calling thread's rows still
   * to do, as a new run. So all threads finish close together however fast each one turns
   * out to be (a garbage collection, another job on the machine). `flush` (counting) asks a
   * worker for what a run added up to once the run's last chunk has been sent.
   */
  private run<L>(
    kind: 'count' | 'encode',
    texts: readonly TextInput[],
    request: (id: number, packed: PackedTexts, worker: PoolWorker, firstRow: number, part: number) => WorkerRequest,
    flush: ((id: number, part: number) => WorkerRequest) | undefined,
    local: (share: Iterable<TextInput>, firstRow: number) => L,
  ): Promise<Array<Part<L>>> {
    // One call at a time: each worker's shared buffers hold the chunks it is working on.
    const result = this.queue.then(() => this.runNow(kind, texts, request, flush, local));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow<L>(
    kind: 'count' | 'encode',
    texts: readonly TextInput[],
    request: (id: number, packed: PackedTexts, worker: PoolWorker, firstRow: number, part: number) => WorkerRequest,
    flush: ((id: number, part: number) => WorkerRequest) | undefined,
    local: (share: Iterable<TextInput>, firstRow: number) => L,
  ): Promise<Array<Part<L>>> {
    const strings = texts.every((text) => typeof text === 'string');
    const sizes = Float64Array.from(texts, (text) => text.length);
    // One thread means one worker, so the calling thread stays free; with more, it is one of them.
    const shared = this.threads >= 2;
    const workerCount = shared ? this.threads - 1 : this.threads;
    const localEnd = shared ? shareEnd(sizes, (this.localShare[kind] ||= 1 / this.threads)) : 0;
    const { states, chunkBytes } = this.plan(sizes, localEnd, workerCount);
    // Taking over rows makes one more part; counted, each part costs a merge of its words, so
    // counting only takes over enough rows to be worth that merge.
    const minSteal = kind === 'count' ? MIN_COUNT_STEAL_CHUNKS : 1;
    const workers = states.map((state) => state.worker);

    const parts: Array<Part<L>> = [];
    const started = performance.now();
    let outstanding = 0;
    let localDone = !shared;
    // The calling thread's rows in progress, which a worker out of chunks may cut short.
    let localRange: LocalRange | undefined;
    // The first failure in text order wins.
    let failure: { at: number; error: unknown } | undefined;
    const fail = (at: number, error: unknown) => {
      if (failure === undefined || at < failure.at) failure = { at, error };
    };
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const settle = () => {
      if (localDone && outstanding === 0) finished();
    };
    const send = (state: WorkerState, at: number, message: (id: number) => WorkerRequest, onReply: (reply: WorkerReply) => void) => {
      outstanding++;
      state.worker.send(
        message,
        (reply) => {
          outstanding--;
          if (reply.kind === 'error') fail(at, rebuildError(reply.error));
          else onReply(reply);
          settle();
        },
        (error) => {
          outstanding--;
          fail(at, error);
          settle();
        },
      );
    };
    // A run with nothing left to send asks for its count, so the worker sums it up while the others work.
    const flushIfSent = (state: WorkerState, run: WorkerRun) => {
      if (flush === undefined || run.flushed || run.next < run.end || run.next === 0 || failure !== undefined) return;
      run.flushed = true;
      const start = run.chunks[0]![0];
      send(
        state,
        start,
        (id) => flush(id, run.part),
        (reply) => parts.push({ start, reply }),
      );
    };
    // The second half of the calling thread's rows still to do, for a worker that has run out of chunks.
    const stealLocal = (state: WorkerState): boolean => {
      if (localRange === undefined) return false;
      const { next, end } = localRange;
      let left = 0;
      for (let i = next; i < end; i++) left += sizes[i]!;
      if (left < 2 * minSteal * chunkBytes) return false;
      let cut = next;
      for (let half = 0; cut < end - 1 && half < left / 2; cut++) half += sizes[cut]!;
      localRange.end = cut;
      state.runs.push(chunkRun(sizes, cut, end, chunkBytes, this.nextPart++));
      return true;
    };
    // Synchronous, so that the calling thread can send a worker its next chunk between its own texts.
    const dispatch = (state: WorkerState): void => {
      // Two chunks in flight: the worker starts the next one as soon as it finishes one.
      while (failure === undefined && state.inFlight < 2) {
        const run = state.runs.find((r) => r.next < r.end);
        if (run === undefined) {
          if (!localDone && stealLocal(state)) continue;
          break;
        }
        const [start, end, bytes] = run.chunks[run.next++]!;
        const slot = state.sent++ & 1;
        const packed: PackedTexts = strings
          ? packTexts(texts as readonly string[], start, end, (size) => state.worker.slot(slot, size))
          : { items: texts.slice(start, end) };
        state.inFlight++;
        send(
          state,
          start,
          (id) => request(id, packed, state.worker, start, run.part),
          (reply) => {
            state.inFlight--;
            state.bytes += bytes;
            state.lastReply = performance.now();
            if (reply.kind === 'sequences') parts.push({ start, reply });
            dispatch(state);
          },
        );
        flushIfSent(state, run);
      }
    };
    for (const state of states) dispatch(state);
    let localBytes = 0;
    if (shared) {
      const take = (start: number, end: number) => {
        const range: LocalRange = (localRange = { next: start, end });
        try {
          parts.push({ start, local: local(polling(texts, start, range, workers), start) });
          for (let i = start; i < range.end; i++) localBytes += sizes[i]!;
        } catch (error) {
          fail(start, error);
        }
        localRange = undefined;
      };
      if (localEnd > 0) take(0, localEnd);
      // Then chunks not sent yet, half of the most a worker has left at a time, off the end of its run.
      for (;;) {
        let most: { state: WorkerState; run: WorkerRun } | undefined;
        for (const state of states)
          for (const run of state.runs)
            if (run.end - run.next > (most === undefined ? 0 : most.run.end - most.run.next)) most = { state, run };
        if (failure !== undefined || most === undefined) break;
        const { state, run } = most;
        // Half of what the worker has left, counting the chunks it is working on.
        const unsent = run.end - run.next;
        const count = Math.min(unsent, Math.ceil((unsent + state.inFlight) / 2));
        if (count < minSteal) break;
        run.end -= count;
        flushIfSent(state, run);
        take(run.chunks[run.end]![0], run.chunks[run.end + count - 1]![1]);
      }
    }
    localDone = true;
    const localTime = performance.now() - started;
    settle();
    // Even after a failure, wait for the chunks in flight: their buffers must not be reused before they are read.
    await done;
    // A dead worker is replaced on the next call.
    this.workers = this.workers.filter((w) => !w.dead);
    if (failure !== undefined) throw failure.error;
    if (shared) this.rebalance(kind, localBytes, localTime, states, started);
    return parts.sort((a, b) => a.start - b.start);
  }

  /** Sets the calling thread's next share to what would have made it and the workers finish together this time. */
  private rebalance(
    kind: 'count' | 'encode',
    localBytes: number,
    localTime: number,
    states: readonly WorkerState[],
    started: number,
  ): void {
    let workerRates = 0;
    for (const state of states) {
      const time = state.lastReply - started;
      // Too little work says nothing about the rate.
      if (time < 20 || state.bytes === 0) return;
      workerRates += state.bytes / time;
    }
    if (localTime < 20 || localBytes === 0 || workerRates === 0) return;
    const localRate = localBytes / localTime;
    const balanced = localRate / (localRate + workerRates);
    // Halfway to the new estimate: one call slowed down by other jobs on the machine moves it only so far.
    const next = (this.localShare[kind] + balanced) / 2;
    this.localShare[kind] = Math.min(0.9, Math.max(0.1, next));
  }

  /**
   * The rows from `from` on, cut into one run per worker of about equal size, and the size of
   * the chunks the runs are sent in: about CHUNKS_PER_RUN per run, at most maxChunkBytes
   * each unless one text is larger.
   */
  private plan(sizes: Float64Array, from: number, workers: number): { states: WorkerState[]; chunkBytes: number } {
    let total = 0;
    for (let i = from; i < sizes.length; i++) total += sizes[i]!;
    const runCount = Math.min(sizes.length - from, workers);
    const chunkBytes = Math.min(this.maxChunkBytes, Math.max(MIN_CHUNK_BYTES, total / Math.max(1, runCount) / CHUNKS_PER_RUN));
    if (runCount === 0) return { states: [], chunkBytes };
    this.ensureWorkers(runCount);
    const states: WorkerState[] = [];
    let start = from;
    let size = 0;
    for (let i = from; i < sizes.length; i++) {
      size += sizes[i]!;
      const runsLeft = runCount - states.length - 1;
      // A run ends where the running total passes its share, leaving a row for each run still to come.
      if (
        i === sizes.length - 1 ||
        (runsLeft > 0 && (size >= (total / runCount) * (states.length + 1) || sizes.length - i - 1 === runsLeft))
      ) {
        const run = chunkRun(sizes, start, i + 1, chunkBytes, this.nextPart++);
        states.push({ worker: this.workers[states.length]!, runs: [run], inFlight: 0, sent: 0, bytes: 0, lastReply: 0 });
        start = i + 1;
      }
    }
    return { states, chunkBytes };
  }

  private ensureWorkers(count: number): void {
    while (this.workers.length < count) this.workers.push(new PoolWorker(this.resourceLimits));
  }
}

class PoolWorker {
  dead = false;
  /** Key of the encoding table this worker holds. */
  tableKey: number | undefined;
  // Two, for the two chunks in flight; kept from call to call: a fresh buffer would be paged in again every time.
  private readonly shared: Array<SharedArrayBuffer | undefined> = [undefined, undefined];
  private readonly worker: Worker;
  // Replies come on a port of their own, which the calling thread can also read synchronously (poll).
  private readonly replies: MessagePort;
  private readonly pending = new Map<number, { onReply: (reply: WorkerReply) => void; onFail: (error: unknown) => void }>();
  private nextId = 1;

  constructor(resourceLimits: ResourceLimits | undefined) {
    const { url, execArgv } = workerEntry();
    const channel = new MessageChannel();
    this.replies = channel.port1;
    this.worker = new Worker(url, {
      execArgv,
      resourceLimits,
      workerData: { entry: entryModule().href, replies: channel.port2 },
      transferList: [channel.port2],
    });
    this.worker.unref();
    this.replies.on('message', (reply: WorkerReply) => this.deliver(reply));
    this.replies.unref();
    this.worker.on('error', (error) => this.fail(new TokenizerWorkerError(`a tokenizer worker thread failed: ${error.message}`, error)));
    this.worker.on('messageerror', (error) =>
      this.fail(new TokenizerWorkerError(`a tokenizer worker's request could not be read: ${error.message}`, error)),
    );
    this.replies.on('messageerror', (error) =>
      this.fail(new TokenizerWorkerError(`a tokenizer worker's reply could not be read: ${error.message}`, error)),
    );
    this.worker.on('exit', (code) =>
      this.fail(new TokenizerWorkerError(`a tokenizer worker thread exited (code ${code}) before it finished`)),
    );
  }

  /** Buffer `slot` (0 or 1) this worker reads its texts from, at least `bytes` long. */
  slot(slot: number, bytes: number): SharedArrayBuffer {
    const current = this.shared[slot];
    if (current !== undefined && current.byteLength >= bytes) return current;
    return (this.shared[slot] = new SharedArrayBuffer(Math.max(bytes, 2 * (current?.byteLength ?? 0))));
  }

  /** Sends a request; exactly one of the callbacks runs, once. */
  send(request: (id: number) => WorkerRequest, onReply: (reply: WorkerReply) => void, onFail: (error: unknown) => void): void {
    if (this.dead) {
      onFail(new TokenizerWorkerError('a tokenizer worker thread has stopped; run again to start a new one'));
      return;
    }
    const id = this.nextId++;
    this.pending.set(id, { onReply, onFail });
    this.worker.ref();
    this.worker.postMessage(request(id));
  }

  /** Handles the replies that have arrived, without waiting for the event loop. */
  poll(): void {
    for (;;) {
      const received = receiveMessageOnPort(this.replies);
      if (received === undefined) return;
      this.deliver(received.message as WorkerReply);
    }
  }

  async terminate(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
    this.replies.close();
  }

  private deliver(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (waiting === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    waiting.onReply(reply);
  }

  private fail(error: TokenizerWorkerError): void {
    this.dead = true;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { onFail } of waiting) onFail(error);
  }
}

/**
 * texts[start, range.end), reading the workers' replies every few texts so that none of them
 * waits for its next chunk; a worker out of chunks may move range.end closer meanwhile.
 */
function* polling(texts: readonly TextInput[], start: number, range: LocalRange, workers: readonly PoolWorker[]): Generator<TextInput> {
  for (let i = start; i < range.end; i++) {
    if ((i & 15) === 15) {
      range.next = i;
      for (const worker of workers) worker.poll();
      if (i >= range.end) return;
    }
    yield texts[i]!;
  }
}

/** Rows [start, end) as a run of chunks of about `chunkBytes`. */
function chunkRun(sizes: Float64Array, start: number, end: number, chunkBytes: number, part: number): WorkerRun {
  const chunks: Array<[number, number, number]> = [];
  let from = start;
  let size = 0;
  for (let i = start; i < end; i++) {
    size += sizes[i]!;
    if (size >= chunkBytes || i === end - 1) {
      chunks.push([from, i + 1, size]);
      from = i + 1;
      size = 0;
    }
  }
  return { part, chunks, next: 0, end: chunks.length, flushed: false };
}

/** The end of the first rows holding `fraction` of the bytes. */
function shareEnd(sizes: Float64Array, fraction: number): number {
  let total = 0;
  for (let i = 0; i < sizes.length; i++) total += sizes[i]!;
  const target = total * fraction;
  let size = 0;
  for (let i = 0; i < sizes.length; i++) {
    if (size + sizes[i]! / 2 > target) return i;
    size += sizes[i]!;
  }
  return sizes.length;
}

/**
 * The worker's script. Built code runs dist/node/tokenizer-worker.js directly; from the
 * TypeScript sources (tests, benchmarks) a small bootstrap registers tsx in the worker first.
 */
function workerEntry(): { url: URL; execArgv: string[] | undefined } {
  const entry = entryModule();
  if (!entry.pathname.endsWith('.ts')) return { url: entry, execArgv: undefined };
  // tsx's ESM API (register() adds its hooks to this thread); require() resolves its CommonJS twin beside it.
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const boot = `import { workerData } from 'node:worker_threads'; const { register } = await import(${JSON.stringify(pathToFileURL(api).href)}); register(); await import(workerData.entry);`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(boot)}`), execArgv: ['--conditions=@seqlearn/source'] };
}

function entryModule(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './tokenizer-worker.ts' : './tokenizer-worker.js', here);
}

/** The options a worker rebuilds the tokenizer from; undefined when they cannot cross a thread (a function splitter). */
function workerOptions(tokenizer: Tokenizer): WorkerTokenizerOptions | undefined {
  if (typeof tokenizer.splitter === 'function') return undefined;
  return {
    filters: tokenizer.filters,
    lower: tokenizer.lower,
    split: tokenizer.split,
    charLevel: tokenizer.charLevel,
    splitter: tokenizer.splitter,
    stemmer: tokenizer.stemmer,
    ngrams: tokenizer.ngrams,
  };
}

function checkArray(texts: readonly TextInput[], method: string): readonly TextInput[] {
  if (!Array.isArray(texts))
    throw new TextInputError(`${method} on a TokenizerPool expects an array of texts, got ${describeValue(texts)}`);
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    if (typeof text !== 'string' && !Array.isArray(text))
      throw new TextInputError(`${method}: text ${i} is ${describeValue(text)}; expected a string or an array of tokens`, i);
  }
  return texts;
}

function rebuildError(error: { name: string; message: string; code?: string; row?: number }): Error {
  if (error.code === 'ERR_TEXT_INPUT') return new TextInputError(error.message, error.row);
  if (error.code === 'ERR_INVALID_OPTION') return new InvalidOptionError('options', error.message);
  return new SeqlearnError(error.code ?? 'ERR_TOKENIZER_WORKER', `${error.name}: ${error.message}`);
}

function concatRagged(parts: ReadonlyArray<{ values: Int32Array; offsets: Int32Array }>): RaggedSequences {
  let valueCount = 0;
  let rowCount = 0;
  for (const p of parts) {
    valueCount += p.values.length;
    rowCount += p.offsets.length - 1;
  }
  const values = new Int32Array(valueCount);
  const offsets = new Int32Array(rowCount + 1);
  let v = 0;
  let r = 0;
  for (const p of parts) {
    values.set(p.values, v);
    for (let i = 1; i < p.offsets.length; i++) offsets[r + i] = p.offsets[i]! + v;
    v += p.values.length;
    r += p.offsets.length - 1;
  }
  return { values, offsets };
}
