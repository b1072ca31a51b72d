import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { ArchiveError } from './errors.js';

/** Progress of reading a compressed file: compressed bytes consumed so far. */
export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
  /** Records (reviews, documents, rows) produced so far. */
  records: number;
}

export type ProgressCallback = (progress: ReadProgress) => void;

/** One regular file inside a tar.gz archive, read whole. */
export interface TarMember {
  /** The member's path with any leading `./` removed. */
  name: string;
  data: Buffer;
}

export interface TarReadOptions {
  /** Members to read; the others are skipped without being buffered. */
  select?: (name: string) => boolean;
  /** Called after each selected member, with the compressed bytes read so far. */
  onMember?: (bytesRead: number, totalBytes: number) => void;
}

function normalizeName(name: string): string {
  return name.replace(/^(\.\/)+/, '');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns zlib and tar-stream failures into an ArchiveError naming the file and the member being read. */
function archiveError(file: string, entry: string | undefined, error: unknown): ArchiveError {
  if (error instanceof ArchiveError) return error;
  const code = (error as { code?: string }).code;
  const message = describe(error);
  let what: string;
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) what = 'the gzip stream is truncated';
  else if (typeof code === 'string' && code.startsWith('Z_')) what = `the gzip stream is corrupt (${message})`;
  else if (/unexpected end of data/i.test(message)) what = 'the tar archive is truncated';
  else if (/invalid tar header/i.test(message)) what = `the tar archive is corrupt (${message})`;
  else what = `could not read the archive (${message})`;
  const location = entry === undefined ? { file } : { file, entry };
  return new ArchiveError(location, `${what}; expected a complete .tar.gz`, { cause: error });
}

/**
 * Streams the regular files of a .tar.gz without extracting it (tar-stream over node:zlib).
 * Only the selected members are held in memory, one at a time.
 */
export async function* readTarGz(file: string, options: TarReadOptions = {}): AsyncGenerator<TarMember> {
  const { size: totalBytes } = await stat(file);
  const source = createReadStream(file);
  const extract = tar.extract();
  let failure: unknown;
  // The pipeline's own rejection is kept and rethrown after iteration, so it is never unhandled.
  const piped = pipeline(source, createGunzip(), extract).catch((error: unknown) => {
    failure ??= error;
  });
  let current: string | undefined;
  let finished = false;
  try {
    for await (const entry of extract) {
      const name = normalizeName(entry.header.name);
      current = name;
      const wanted = (entry.header.type ?? 'file') === 'file' && (options.select?.(name) ?? true);
      if (!wanted) {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk);
      options.onMember?.(source.bytesRead, totalBytes);
      yield { name, data: Buffer.concat(chunks) };
    }
    await piped;
    if (failure !== undefined) throw failure;
    finished = true;
  } catch (error) {
    await piped;
    throw archiveError(file, current, failure ?? error);
  } finally {
    if (!finished) {
      // The caller stopped early (break, or an error of its own): release the file.
      source.destroy();
      extract.destroy();
      await piped;
    }
  }
}
