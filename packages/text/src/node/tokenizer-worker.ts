// The worker side of TokenizerPool: counts or converts the chunk of texts it is sent, with a
// tokenizer built from the sender's options, and sends flat typed arrays back.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { TextInput } from '../analyzer.js';
import { packTokenCounts } from '../token-counts.js';
import { unpackEncodingTable, type EncodingTable } from '../text-encoding.js';
import { Tokenizer } from '../tokenizer.js';
import { unpackTexts, type WorkerReply, type WorkerRequest } from './protocol.js';

const requests = parentPort;
if (requests === null) throw new Error('tokenizer-worker runs as a worker thread (TokenizerPool starts it)');
// The pool reads replies from this port, also synchronously while its own thread is busy.
const port = (workerData as { replies: MessagePort }).replies;

// The last table sent stays here, so converting many batches sends the vocabulary once.
let table: { key: number; value: EncodingTable } | undefined;

requests.on('message', (request: WorkerRequest) => {
  try {
    const tokenizer = new Tokenizer(request.options);
    const texts: Iterable<TextInput> = unpackTexts(request.texts);
    if (request.kind === 'count') {
      const packed = packTokenCounts(tokenizer.countTexts(texts));
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
    const ragged = tokenizer.textsToRaggedSequencesWith(table.value, texts);
    const reply: WorkerReply = { id: request.id, kind: 'sequences', values: ragged.values, offsets: ragged.offsets };
    port.postMessage(reply, [ragged.values.buffer as ArrayBuffer, ragged.offsets.buffer as ArrayBuffer]);
  } catch (error) {
    const e = error as { name?: string; message?: string; code?: string; row?: number };
    const reply: WorkerReply = {
      id: request.id,
      kind: 'error',
      error: { name: String(e.name), message: String(e.message ?? error), code: e.code, row: e.row },
    };
    port.postMessage(reply);
  }
});
