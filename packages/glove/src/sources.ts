import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Readable, TransformOptions, Writable } from 'node:stream';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import yauzl from 'yauzl';
import { VectorsArchiveError, VectorsInputError } from './errors.js';

/** The decompressed bytes of a vectors file, whatever it was packed in. */
export interface ByteSource {
  chunks: AsyncIterable<Buffer>;
  /** Uncompressed size if known exactly or nearly (gzip's trailer), to size the float array. */
  uncompressedBytes: number | undefined;
  /** Progress counters: bytes of the file on disk (compressed for .gz; of the member for .zip). */
  bytesRead(): number;
  totalBytes: number;
  /** The zip member being read. */
  entry: string | undefined;
  /** Which compression, for error messages. */
  container: 'plain' | 'gzip' | 'zip';
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The zip member to read. */
  entry?: string;
  /** Picks the zip member `*<dim>d.txt` (e.g. `glove.6B.100d.txt`). */
  dim?: number;
}

/**
 * Bytes per decompressed chunk (and per read of a plain file). Each chunk costs the main
 * thread a fixed overhead in the stream machinery (~0.1 ms), so small chunks are slow; each
 * is also a fresh buffer that lives until a young GC (see young-gc.ts), and 1 MiB ones
 * fragment the heap: peak RSS of a load measured ~1.3-1.45x the floats at 64-128 KiB,
 * ~1.5-2x at 1 MiB.
 */
const CHUNK = 1 << 17;

async function sniff(path: string): Promise<{ head: Buffer; size: number }> {
  try {
    const handle = await open(path, 'r');
    try {
      const size = (await handle.stat()).size;
      const head = Buffer.alloc(4);
      await handle.read(head, 0, 4, 0);
      return { head, size };
    } finally {
      await handle.close();
    }
  } catch (cause) {
    throw new VectorsInputError('ERR_VECTORS_READ', { file: path }, `cannot read the file: ${(cause as Error).message}`, { cause });
  }
}

/** gzip stores the uncompressed size mod 2^32 in its last four bytes. */
async function gzipSize(path: string, size: number): Promise<number | undefined> {
  if (size < 18) return undefined;
  const handle = await open(path, 'r');
  try {
    const tail = Buffer.alloc(4);
    await handle.read(tail, 0, 4, size - 4);
    const isize = tail.readUInt32LE(0);
    // Below the compressed size means the true size wrapped past 4 GiB (or the file is cut): no estimate.
    return isize >= size ? isize : undefined;
  } finally {
    await handle.close();
  }
}

/** Compressed bytes per read; two buffers of this size take turns (no garbage per read). */
const READ_CHUNK = 1 << 18;

interface Feed {
  bytesRead: number;
  /** Ends the feed (the reader is done or failed); `done` settles once the file is closed. */
  stop(): void;
  done: Promise<void>;
}

/**
 * Writes the file into `sink` through two reused buffers, each refilled only once the sink
 * has consumed it (its write callback): a read stream would allocate a fresh buffer per
 * read, and that garbage (a third of all bytes a load allocates) piles up until the next
 * young-generation GC, which V8 runs only after 32 MiB of dead buffers.
 */
function feedFile(path: string, sink: Writable): Feed {
  let stopped = false;
  let wake: () => void = () => undefined;
  // Waiting for a write callback also ends when the feed is stopped, whatever the sink does then.
  const stopping = new Promise<void>((resolve) => (wake = resolve));
  const feed: Feed = {
    bytesRead: 0,
    stop: () => {
      stopped = true;
      wake();
    },
    done: Promise.resolve(),
  };
  feed.done = (async () => {
    let handle: FileHandle | undefined;
    try {
      handle = await open(path, 'r');
      const buffers = [Buffer.allocUnsafeSlow(READ_CHUNK), Buffer.allocUnsafeSlow(READ_CHUNK)];
      const consumed: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
      for (let turn = 0; !stopped; turn ^= 1) {
        await Promise.race([consumed[turn], stopping]);
        if (stopped) break;
        const { bytesRead } = await handle.read(buffers[turn], 0, READ_CHUNK, null);
        if (bytesRead === 0) {
          sink.end();
          break;
        }
        feed.bytesRead += bytesRead;
        consumed[turn] = new Promise((resolve, reject) => {
          sink.write(buffers[turn].subarray(0, bytesRead), (error) => (error ? reject(error) : resolve()));
        });
        // A failed write also destroys the sink, which ends the reader's iteration with the error.
        consumed[turn].catch(() => undefined);
      }
    } catch (error) {
      sink.destroy(error as Error);
    } finally {
      await handle?.close();
    }
  })();
  return feed;
}

export async function openByteSource(path: string, options: OpenOptions = {}): Promise<ByteSource> {
  const { head, size } = await sniff(path);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const uncompressedBytes = await gzipSize(path, size);
    // Up to 1 MiB decompressed ahead of the parser, so inflating (on the libuv threadpool)
    // does not stop each time the main thread is busy with a chunk (zlib passes stream
    // options on to its Transform).
    const gunzipOptions: ZlibOptions & TransformOptions = { chunkSize: CHUNK, readableHighWaterMark: 1 << 20 };
    const gunzip = createGunzip(gunzipOptions);
    const feed = feedFile(path, gunzip);
    return {
      chunks: gunzip as AsyncIterable<Buffer>,
      uncompressedBytes,
      bytesRead: () => feed.bytesRead,
      totalBytes: size,
      entry: undefined,
      container: 'gzip',
      close: async () => {
        feed.stop();
        gunzip.destroy();
        await feed.done;
      },
    };
  }
  if (head[0] === 0x50 && head[1] === 0x4b) return openZipMember(path, options);
  if (options.entry !== undefined) throw new VectorsArchiveError({ file: path }, `option "entry" (${options.entry}) needs a zip file`);
  const file = createReadStream(path, { highWaterMark: CHUNK });
  return {
    chunks: file as AsyncIterable<Buffer>,
    uncompressedBytes: (await stat(path)).size,
    bytesRead: () => file.bytesRead,
    totalBytes: size,
    entry: undefined,
    container: 'plain',
    close: async () => {
      file.destroy();
    },
  };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => (error ? reject(error) : resolve(zip)));
  });
}

function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

/** The member named `entry`, else the one ending in `<dim>d.txt`, else the only file in the zip. */
function pickEntry(path: string, entries: yauzl.Entry[], options: OpenOptions): yauzl.Entry {
  const files = entries.filter((e) => !e.fileName.endsWith('/'));
  const names = files.map((e) => e.fileName).join(', ') || 'none';
  if (options.entry !== undefined) {
    const found = files.find((e) => e.fileName === options.entry);
    if (!found) throw new VectorsArchiveError({ file: path }, `no member "${options.entry}" in the zip; its files are: ${names}`);
    return found;
  }
  if (options.dim !== undefined) {
    const suffix = `${options.dim}d.txt`;
    const found = files.filter((e) => e.fileName.split('/').pop()!.endsWith(`.${suffix}`) || e.fileName.split('/').pop() === suffix);
    if (found.length === 1) return found[0];
    throw new VectorsArchiveError(
      { file: path },
      found.length === 0
        ? `no member for ${options.dim} dimensions (a name ending in "${suffix}"); its files are: ${names}`
        : `several members for ${options.dim} dimensions: ${found.map((e) => e.fileName).join(', ')}; pass "entry"`,
    );
  }
  if (files.length === 1) return files[0];
  throw new VectorsArchiveError(
    { file: path },
    `the zip holds several files (${names}): pass "dim" (e.g. 100 for glove.6B.100d.txt) or "entry"`,
  );
}

async function openZipMember(path: string, options: OpenOptions): Promise<ByteSource> {
  let zip: yauzl.ZipFile;
  let entries: yauzl.Entry[];
  try {
    zip = await openZip(path);
    entries = await listEntries(zip);
  } catch (cause) {
    throw new VectorsArchiveError({ file: path }, `truncated or corrupt zip archive: ${(cause as Error).message}`, { cause });
  }
  const entry = pickEntry(path, entries, options);
  let stream: Readable;
  try {
    stream = await openEntry(zip, entry);
  } catch (cause) {
    zip.close();
    throw new VectorsArchiveError({ file: path, entry: entry.fileName }, `cannot read the member: ${(cause as Error).message}`, { cause });
  }
  let read = 0;
  async function* counted(): AsyncIterable<Buffer> {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      read += chunk.length;
      yield chunk;
    }
  }
  return {
    chunks: counted(),
    uncompressedBytes: entry.uncompressedSize,
    bytesRead: () => read,
    totalBytes: entry.uncompressedSize,
    entry: entry.fileName,
    container: 'zip',
    close: async () => {
      stream.destroy();
      zip.close();
    },
  };
}
