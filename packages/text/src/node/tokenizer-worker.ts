// The worker side of TokenizerPool: counts or converts the chunks of texts it is sent, with a
// tokenizer built from the sender's options, and sends flat typed arrays back.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { packTokenCounts, type TokenCounts } from '../token-counts.js';
import { unpackEncodingTable, type EncodingTable } from '../text-encoding.js';
import { Tokenizer } from '../tokenizer.js';
import { unpackTexts, type WorkerReply, type WorkerRequest, type WorkerTokenizerOptions } from './protocol.js';

const requests = parentPort;
if (requests === null) throw new Error('tokenizer-worker runs as a worker thread (TokenizerPool starts it)');
// The pool reads replies from this port, also synchronously while its own thread is busy.
const port = (workerData as { replies: MessagePort }).replies;

// The last table sent stays here, so converting many chunks sends the vocabulary once.
let table: { key: number; value: EncodingTable } | undefined;
// The tokenizer the last chunks were converted with: a call sends many chunks with the same options.
let converting: { options: string; tokenizer: Tokenizer } | undefined;

function converter(options: WorkerTokenizerOptions): Tokenizer {
  const key = JSON.stringify(options);
  if (converting?.options !== key) converting = { options: key, tokenizer: new Tokenizer(options) };
  return converting.tokenizer;
}

// The running counts of the parts not flushed yet.
const counting = new Map<number, { tokenizer: Tokenizer; counts: TokenCounts }>();

requests.on('message', (request: WorkerRequest) => {
  try {
    if (request.kind === 'count') {
      for (const key of counting.keys()) if (key < request.since) counting.delete(key);
      let part = counting.get(request.part);
      if (part === undefined) {
        const tokenizer = new Tokenizer(request.options);
        counting.set(request.part, (part = { tokenizer, counts: tokenizer.countTexts([]) }));
      }
      part.tokenizer.countTextsInto(part.counts, unpackTexts(request.texts), request.firstRow);
      port.postMessage({ id: request.id, kind: 'counted' } satisfies WorkerReply);
      return;
    }
    if (request.kind === 'flush') {
      const part = counting.get(request.part);
      if (part === undefined) throw new Error(`tokenizer-worker: nothing was counted for part ${request.part}`);
      counting.delete(request.part);
      const packed = packTokenCounts(part.counts);
      const reply: WorkerReply = { id: request.id, kind: 'counts', counts: packed };
      const transfer = [packed.ends.buffer, packed.counts.buffer, packed.docs.buffer] as ArrayBuffer[];
      if (packed.table !== undefined)
        transfer.push(
          packed.table.slots.buffer as ArrayBuffer,
          packed.table.units.buffer as ArrayBuffer,
          packed.table.offsets.buffer as ArrayBuffer,
        );
      port.postMessage(reply, transfer);
      return;
    }
    if (request.table !== undefined) table = { key: request.tableKey, value: unpackEncodingTable(request.table) };
    if (table === undefined || table.key !== request.tableKey)
      throw new Error(`tokenizer-worker: encoding table ${request.tableKey} was never sent`);
    const ragged = converter(request.options).textsToRaggedSequencesWith(table.value, unpackTexts(request.texts), request.firstRow);
    const reply: WorkerReply = { id: request.id, kind: 'sequences', values: ragged.values, offsets: ragged.offsets };
    port.postMessage(reply, [ragged.values.buffer as ArrayBuffer, ragged.offsets.buffer as ArrayBuffer]);
  } catch (error) {
    // A failed chunk ends its call: the pool rejects it and flushes nothing more.
    counting.clear();
    const e = error as { name?: string; message?: string; code?: string; row?: number };
    const reply: WorkerReply = {
      id: request.id,
      kind: 'error',
      error: { name: String(e.name), message: String(e.message ?? error), code: e.code, row: e.row },
    };
    port.postMessage(reply);
  }
});
