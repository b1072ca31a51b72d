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
import {
  measureTexts,
  writeTexts,
  type PackedTexts,
  type WorkerReply,
  type WorkerRequest,
  type WorkerTokenizerOptions,
} from './protocol.js';

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
   * characters beyond U+00FF); larger inputs go out in more chunks than threads. Each worker
   * keeps a buffer of this size. Default 2^25 (32 MiB).
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
    const { local, packed } = await this.countShares(tokenizer, options, checkArray(texts, 'fitOnTexts'));
    // The workers' counts merge straight from their packed form: no word already counted is sliced or hashed again.
    const merger = new TokenCountsMerger(true);
    if (local !== undefined) merger.add(local);
    for (const counts of packed) merger.addPacked(counts);
    tokenizer.fitOnCounts(merger.result());
  }

  /**
   * The partial counts of consecutive chunks of `texts`, in text order: `fitOnCounts` of them
   * is `fitOnTexts(texts)`, and they merge with counts of other texts (other shards) the same way.
   */
  async countTexts(tokenizer: Tokenizer, texts: readonly TextInput[]): Promise<TokenCounts[]> {
    const options = workerOptions(tokenizer);
    if (options === undefined) return [tokenizer.countTexts(checkArray(texts, 'countTexts'))];
    const { local, packed } = await this.countShares(tokenizer, options, checkArray(texts, 'countTexts'));
    const parts = packed.map(unpackTokenCounts);
    return local === undefined ? parts : [local, ...parts];
  }

  /** The calling thread's counts of its share (none with one thread) and the workers' packed counts, in text order. */
  private async countShares(
    tokenizer: Tokenizer,
    options: WorkerTokenizerOptions,
    texts: readonly TextInput[],
  ): Promise<{ local: TokenCounts | undefined; packed: PackedTokenCounts[] }> {
    const { local, replies } = await this.run(
      'count',
      texts,
      (id, packed) => ({ id, kind: 'count', options, texts: packed }),
      (share) => tokenizer.countTexts(share),
    );
    return { local, packed: replies.map((reply) => (reply as Extract<WorkerReply, { kind: 'counts' }>).counts) };
  }

  /** `tokenizer.textsToRaggedSequences(texts)`, converted on the workers (and the calling thread). */
  async textsToRaggedSequences(tokenizer: Tokenizer, texts: readonly TextInput[]): Promise<RaggedSequences> {
    const options = workerOptions(tokenizer);
    if (options === undefined) return tokenizer.textsToRaggedSequences(checkArray(texts, 'textsToRaggedSequences'));
    const table = tokenizer.encodingTable();
    let tableKey = this.tableKeys.get(table);
    if (tableKey === undefined) this.tableKeys.set(table, (tableKey = this.nextTableKey++));
    let packedTable: PackedEncodingTable | undefined;
    const { local, replies } = await this.run(
      'encode',
      checkArray(texts, 'textsToRaggedSequences'),
      (id, packed, worker) => {
        // Each worker keeps the last table it was sent.
        const send = worker.tableKey !== tableKey;
        worker.tableKey = tableKey;
        if (send) packedTable ??= packEncodingTable(table);
        return { id, kind: 'encode', options, texts: packed, tableKey, table: send ? packedTable : undefined };
      },
      (share) => tokenizer.textsToRaggedSequences(share),
    );
    const parts = replies as Extract<WorkerReply, { kind: 'sequences' }>[];
    return concatRagged(local === undefined ? parts : [local, ...parts]);
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
   * Runs one call: with two threads or more, the calling thread works through the first share
   * of the texts itself (`local`) while threads - 1 workers take the chunks of the rest as they
   * free up; replies come back in chunk order.
   */
  private run<L>(
    kind: 'count' | 'encode',
    texts: readonly TextInput[],
    request: (id: number, packed: PackedTexts, worker: PoolWorker) => WorkerRequest,
    local: (share: Iterable<TextInput>) => L,
  ): Promise<{ local: L | undefined; replies: WorkerReply[] }> {
    // One call at a time: each worker's shared buffer holds the chunk it is working on.
    const result = this.queue.then(() => this.runNow(kind, texts, request, local));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow<L>(
    kind: 'count' | 'encode',
    texts: readonly TextInput[],
    request: (id: number, packed: PackedTexts, worker: PoolWorker) => WorkerRequest,
    local: (share: Iterable<TextInput>) => L,
  ): Promise<{ local: L | undefined; replies: WorkerReply[] }> {
    const measured = measureTexts(texts);
    const sizes = measured?.bytes ?? Float64Array.from(texts, (t) => t.length);
    // One thread means one worker, so the calling thread stays free; with more, it is one of them.
    const shared = this.threads >= 2;
    const workerCount = shared ? this.threads - 1 : this.threads;
    const localEnd = shared ? shareEnd(sizes, (this.localShare[kind] ||= 1 / this.threads)) : 0;
    const chunks = this.chunks(sizes, localEnd, workerCount);
    if (chunks.length > 0) this.ensureWorkers(workerCount);
    const workers = this.workers.slice(0, Math.min(workerCount, chunks.length));

    const replies = new Array<WorkerReply>(chunks.length);
    const started = performance.now();
    let workersDone = started;
    let next = 0;
    let outstanding = 0;
    let localDone = false;
    // The first failure in text order wins (the calling thread's share comes first).
    let failure: { at: number; error: unknown } | undefined;
    const fail = (at: number, error: unknown) => {
      if (failure === undefined || at < failure.at) failure = { at, error };
    };
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const settle = () => {
      if (localDone && outstanding === 0 && (next >= chunks.length || failure !== undefined)) finished();
    };
    // Synchronous, so that the calling thread can hand a worker its next chunk between its own texts.
    const dispatch = (worker: PoolWorker): void => {
      if (failure !== undefined || next >= chunks.length) return;
      const c = next++;
      const [start, end, bytes] = chunks[c]!;
      let packed: PackedTexts;
      if (measured === undefined) packed = { items: texts.slice(start, end) };
      else packed = writeTexts(texts as readonly string[], start, end, measured.wide, worker.slot(bytes), 0);
      outstanding++;
      worker.send(
        (id) => request(id, packed, worker),
        (reply) => {
          outstanding--;
          if (reply.kind === 'error') fail(c, rebuildError(reply.error, start));
          else {
            replies[c] = reply;
            workersDone = performance.now();
            dispatch(worker);
          }
          settle();
        },
        (error) => {
          outstanding--;
          fail(c, error);
          settle();
        },
      );
    };
    for (const worker of workers) dispatch(worker);
    let localResult: L | undefined;
    if (shared) {
      try {
        localResult = local(polling(texts, localEnd, workers));
      } catch (error) {
        fail(-1, error);
      }
    }
    localDone = true;
    // The calling thread's time includes writing the workers' chunks.
    const localTime = performance.now() - started;
    settle();
    // Even after a failure, wait for the chunks in flight: their buffers must not be reused before they are read.
    await done;
    // A dead worker is replaced on the next call.
    this.workers = this.workers.filter((w) => !w.dead);
    if (failure !== undefined) throw failure.error;
    if (shared && workers.length > 0) this.rebalance(kind, sizes, localEnd, localTime, workersDone - started, workers.length);
    return { local: localResult, replies };
  }

  /** Sets the next share of the calling thread so that it and the workers would have finished together this time. */
  private rebalance(
    kind: 'count' | 'encode',
    sizes: Float64Array,
    localEnd: number,
    localTime: number,
    workerTime: number,
    workers: number,
  ): void {
    let localBytes = 0;
    let workerBytes = 0;
    for (let i = 0; i < sizes.length; i++) {
      if (i < localEnd) localBytes += sizes[i]!;
      else workerBytes += sizes[i]!;
    }
    // Too little work on either side says nothing about the rates.
    if (localTime < 20 || workerTime < 20 || localBytes === 0 || workerBytes === 0) return;
    const localRate = localBytes / localTime;
    const workerRate = workerBytes / workers / workerTime;
    const balanced = localRate / (localRate + workers * workerRate);
    // Halfway to the new estimate: one call slowed down by other jobs on the machine moves it only so far.
    const next = (this.localShare[kind] + balanced) / 2;
    this.localShare[kind] = Math.min(0.9, Math.max(0.1, next));
  }

  /** [start, end, bytes) ranges of rows from `from` on, of about equal size: at least one per worker, none over maxChunkBytes unless one text is. */
  private chunks(sizes: Float64Array, from: number, workers: number): Array<[number, number, number]> {
    let total = 0;
    for (let i = from; i < sizes.length; i++) total += sizes[i]!;
    const rows = sizes.length - from;
    const count = Math.min(rows, Math.max(workers, Math.ceil(total / this.maxChunkBytes)));
    if (count === 0) return [];
    const target = total / count;
    const out: Array<[number, number, number]> = [];
    let start = from;
    let size = 0;
    let chunkBytes = 0;
    for (let i = from; i < sizes.length; i++) {
      size += sizes[i]!;
      chunkBytes += sizes[i]!;
      // Cut where the running total passes the next multiple of the target, leaving a row for each chunk still to come.
      const remaining = count - out.length - 1;
      if (remaining > 0 && (size >= target * (out.length + 1) || sizes.length - i - 1 === remaining)) {
        out.push([start, i + 1, chunkBytes]);
        start = i + 1;
        chunkBytes = 0;
      }
    }
    out.push([start, sizes.length, chunkBytes]);
    return out;
  }

  private ensureWorkers(count: number): void {
    while (this.workers.length < count) this.workers.push(new PoolWorker(this.resourceLimits));
  }
}

class PoolWorker {
  dead = false;
  /** Key of the encoding table this worker holds. */
  tableKey: number | undefined;
  // Kept from call to call: a fresh buffer would be paged in again every time.
  private shared: SharedArrayBuffer | undefined;
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

  /** The buffer this worker reads its texts from, at least `bytes` long. */
  slot(bytes: number): SharedArrayBuffer {
    if (this.shared === undefined || this.shared.byteLength < bytes)
      this.shared = new SharedArrayBuffer(Math.max(bytes, 2 * (this.shared?.byteLength ?? 0)));
    return this.shared;
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

/** texts[0, end), reading the workers' replies every few texts so that none of them waits for its next chunk. */
function* polling(texts: readonly TextInput[], end: number, workers: readonly PoolWorker[]): Generator<TextInput> {
  for (let i = 0; i < end; i++) {
    if ((i & 31) === 31) for (const worker of workers) worker.poll();
    yield texts[i]!;
  }
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

function rebuildError(error: { name: string; message: string; code?: string; row?: number }, rowOffset: number): Error {
  if (error.code === 'ERR_TEXT_INPUT')
    return new TextInputError(error.message, error.row === undefined ? undefined : error.row + rowOffset);
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
