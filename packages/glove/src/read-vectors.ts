import { BinaryVectorsParser } from './binary-parser.js';
import { VectorsArchiveError, VectorsFormatError, VectorsInputError, VectorsOptionError, type VectorsLocation } from './errors.js';
import { openByteSource } from './sources.js';
import { TextVectorsParser, type HeaderMode } from './text-parser.js';
import { VectorStore } from './vector-store.js';
import { vocabularyFilter, type Vocabulary } from './vocabulary.js';
import { WordVectors } from './word-vectors.js';
import { nudgeYoungGc } from './young-gc.js';

/**
 * - `glove`: `word v1 … vN` lines, no header;
 * - `word2vec` and `fasttext` (`.vec`): the same lines after a `count dim` header;
 * - `word2vec-binary`: header, then each word followed by `dim` float32 values;
 * - `auto` (default): binary for `.bin` / `.bin.gz`, else text with the header detected.
 */
export type VectorsFormat = 'auto' | 'glove' | 'word2vec' | 'fasttext' | 'word2vec-binary';

export interface VectorsProgress {
  /** Bytes read of the file on disk (compressed bytes for .gz; the member's bytes for .zip). */
  bytesRead: number;
  totalBytes: number;
  /** Lines (text) or records (binary) read so far. */
  lines: number;
  /** Words kept so far (after the vocabulary filter). */
  words: number;
}

export interface ReadVectorsOptions {
  format?: VectorsFormat;
  /** Expected dimension; also picks the zip member `glove.6B.<dim>d.txt`. */
  dim?: number;
  /** The zip member to read (overrides `dim` for the choice). */
  entry?: string;
  /** Keep only these words (a Set, or a tokenizer's `wordIndex`); others are skipped unparsed. */
  vocabulary?: Vocabulary;
  /** Called after each chunk (about every MiB). */
  onProgress?: (progress: VectorsProgress) => void;
}

function headerMode(format: VectorsFormat): HeaderMode {
  if (format === 'glove') return 'absent';
  if (format === 'word2vec' || format === 'fasttext') return 'present';
  return 'auto';
}

function checkOptions(options: ReadVectorsOptions): VectorsFormat {
  const format = options.format ?? 'auto';
  if (!['auto', 'glove', 'word2vec', 'fasttext', 'word2vec-binary'].includes(format)) {
    throw new VectorsOptionError('format', `format must be auto, glove, word2vec, fasttext or word2vec-binary, got "${format}"`);
  }
  if (options.dim !== undefined && (!Number.isInteger(options.dim) || options.dim < 1)) {
    throw new VectorsOptionError('dim', `dim must be a positive integer, got ${options.dim}`);
  }
  return format;
}

interface Parser {
  push(chunk: Buffer): void;
  end(): void;
  position(): number;
  finish(location: VectorsLocation): void;
}

function makeParser(
  format: VectorsFormat,
  binary: boolean,
  store: VectorStore,
  location: VectorsLocation,
  options: ReadVectorsOptions,
  totalBytes: number | undefined,
): Parser {
  if (binary) {
    const parser = new BinaryVectorsParser(store, location, options.dim);
    return { push: (c) => parser.push(c), end: () => parser.end(), position: () => parser.records, finish: () => undefined };
  }
  const parser = new TextVectorsParser(store, location, { header: headerMode(format), dim: options.dim, totalBytes });
  return {
    push: (c) => parser.push(c),
    end: () => parser.end(),
    position: () => parser.lines,
    finish: (where) => {
      if (store.dim === 0) throw new VectorsFormatError(where, 'no vectors: the input holds no lines of the form "word v1 … vN"');
      if (parser.declaredCount !== undefined && parser.dataLines !== parser.declaredCount) {
        throw new VectorsFormatError(
          { ...where, line: parser.lines },
          `the header declares ${parser.declaredCount} words, the file holds ${parser.dataLines}`,
        );
      }
    },
  };
}

/** True for word2vec's binary layout, judged by the name: `.bin`, `.bin.gz`. */
function looksBinary(name: string): boolean {
  return /\.bin(\.gz)?$/i.test(name);
}

/**
 * Reads GloVe text (`.txt`, `.txt.gz`, or a member of the official `glove.6B.zip`),
 * word2vec text or binary, or fastText `.vec` into one Float32Array, streaming: the
 * decompressed text is never held whole, and with `vocabulary` only those words'
 * vectors are kept. Errors name the file, the zip member and the line.
 */
export async function readWordVectors(path: string, options: ReadVectorsOptions = {}): Promise<WordVectors> {
  const format = checkOptions(options);
  const source = await openByteSource(path, { entry: options.entry, dim: options.dim });
  const location: VectorsLocation = { file: path, entry: source.entry };
  const binary = format === 'word2vec-binary' || (format === 'auto' && looksBinary(source.entry ?? path));
  const store = new VectorStore(options.vocabulary ? vocabularyFilter(options.vocabulary) : undefined);
  const parser = makeParser(format, binary, store, location, options, source.uncompressedBytes);
  try {
    try {
      for await (const chunk of source.chunks) {
        parser.push(chunk);
        nudgeYoungGc(chunk.length);
        options.onProgress?.({ bytesRead: source.bytesRead(), totalBytes: source.totalBytes, lines: parser.position(), words: store.rows });
      }
    } catch (cause) {
      if (cause instanceof VectorsInputError) throw cause;
      const what = source.container === 'plain' ? 'cannot read the file' : `truncated or corrupt ${source.container} data`;
      throw new VectorsArchiveError({ ...location, line: parser.position() + 1 }, `${what}: ${(cause as Error).message}`, { cause });
    }
    parser.end();
    parser.finish(location);
  } finally {
    await source.close();
  }
  return new WordVectors(store.words, store.finish(), store.dim, { source: source.entry ? `${path}#${source.entry}` : path });
}

/**
 * Parses vectors already in memory (text or bytes); the same formats and checks as
 * `readWordVectors`. `name` stands for the file in error messages.
 */
export function parseWordVectors(
  input: string | Uint8Array,
  options: Omit<ReadVectorsOptions, 'entry' | 'onProgress'> & { name?: string } = {},
): WordVectors {
  const format = checkOptions(options);
  const name = options.name ?? '<memory>';
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const location: VectorsLocation = { file: name };
  const store = new VectorStore(options.vocabulary ? vocabularyFilter(options.vocabulary) : undefined);
  const parser = makeParser(format, format === 'word2vec-binary', store, location, options, bytes.length);
  parser.push(bytes);
  parser.end();
  parser.finish(location);
  return new WordVectors(store.words, store.finish(), store.dim, { source: name });
}
