import type { TextInput } from '../analyzer.js';
import type { PackedTokenCounts } from '../token-counts.js';
import type { PackedEncodingTable } from '../text-encoding.js';
import type { TokenizerOptions } from '../tokenizer.js';

/**
 * A chunk of texts on its way to a worker. Strings are written into a buffer shared with
 * the workers, each as Latin-1 bytes when all its characters fit (a plain copy for V8's
 * one-byte strings) or else as UTF-16 code units (lossless, lone surrogates included), and
 * read back on the worker: copying bytes costs the sending thread far less than cloning an
 * array of strings or encoding UTF-8. Anything else (token arrays) is cloned as it is.
 */
export type PackedTexts =
  { buffer: SharedArrayBuffer; byteOffset: number; ends: Int32Array; wide: Uint8Array } | { items: readonly TextInput[] };

/** The options a worker needs to split and count words exactly as the sender's tokenizer does. */
export type WorkerTokenizerOptions = Pick<
  TokenizerOptions,
  'filters' | 'lower' | 'split' | 'charLevel' | 'splitter' | 'stemmer' | 'ngrams'
>;

/**
 * What a worker is asked. `count` adds a chunk to the worker's running count for `part` (the
 * chunks of a part follow each other in the texts; parts before `since` belong to calls that
 * failed and are dropped), `flush` sends that count back;
 * `encode` converts a chunk. `firstRow` is the chunk's first row in the call's texts, for
 * error messages.
 */
export type WorkerRequest =
  | { id: number; kind: 'count'; part: number; since: number; options: WorkerTokenizerOptions; texts: PackedTexts; firstRow: number }
  | { id: number; kind: 'flush'; part: number }
  | {
      id: number;
      kind: 'encode';
      options: WorkerTokenizerOptions;
      texts: PackedTexts;
      firstRow: number;
      tableKey: number;
      table?: PackedEncodingTable;
    };

export type WorkerReply =
  | { id: number; kind: 'counted' }
  | { id: number; kind: 'counts'; counts: PackedTokenCounts }
  | { id: number; kind: 'sequences'; values: Int32Array; offsets: Int32Array }
  | { id: number; kind: 'error'; error: { name: string; message: string; code?: string; row?: number } };

const WIDE = /[^\x00-\xff]/;

/**
 * Writes texts[start, end) into a buffer from `room(bytes)` (which must hold at least
 * `bytes`): Latin-1 where every character fits, UTF-16 otherwise.
 */
export function packTexts(texts: readonly string[], start: number, end: number, room: (bytes: number) => SharedArrayBuffer): PackedTexts {
  const wide = new Uint8Array(end - start);
  let bytes = 0;
  for (let i = start; i < end; i++) {
    const text = texts[i]!;
    if (WIDE.test(text)) {
      wide[i - start] = 1;
      bytes += 2 * text.length;
    } else bytes += text.length;
  }
  const buffer = room(bytes);
  const out = Buffer.from(buffer);
  const ends = new Int32Array(end - start);
  let at = 0;
  for (let i = start; i < end; i++) {
    at += out.write(texts[i]!, at, wide[i - start] === 1 ? 'utf16le' : 'latin1');
    ends[i - start] = at;
  }
  return { buffer, byteOffset: 0, ends, wide };
}

/**
 * The texts of a chunk, each decoded only when the loop reaches it: a text then lives as
 * long as its turn, and the worker's young generation never has to copy a whole chunk of
 * them (keeping them all costs as much as counting them).
 */
export function unpackTexts(packed: PackedTexts): Iterable<TextInput> {
  if ('items' in packed) return packed.items;
  const { ends, wide } = packed;
  const bytes = Buffer.from(packed.buffer, packed.byteOffset, ends.length === 0 ? 0 : ends[ends.length - 1]);
  return {
    *[Symbol.iterator]() {
      let start = 0;
      for (let i = 0; i < ends.length; i++) {
        yield bytes.toString(wide[i] === 1 ? 'utf16le' : 'latin1', start, ends[i]);
        start = ends[i]!;
      }
    },
  };
}
