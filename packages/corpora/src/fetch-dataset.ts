import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, rmdir, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { defaultCacheDir } from '@seqlearn/dataset';
import { DATASETS, type DatasetName } from './dataset-catalog.js';
import { ChecksumError, CorporaOptionError, DownloadError, OfflineError } from './errors.js';

export interface DownloadProgress {
  dataset: DatasetName;
  /** Bytes of the file on disk so far, including bytes kept from an earlier attempt. */
  bytes: number;
  /** The whole file's size, when the server says. */
  totalBytes: number | undefined;
  /** Where the current request started (more than 0 when resuming). */
  resumedFrom: number;
  attempt: number;
}

export interface FetchOptions {
  /** Default `$XDG_CACHE_HOME/seqlearn` or `~/.cache/seqlearn`. */
  cacheDir?: string;
  /** Download from `${baseUrl}/${fileName}` instead of the canonical host (mirrors, tests). */
  baseUrl?: string;
  /** Expected sha256; overrides the catalogue's value. `null` skips verification. */
  sha256?: string | null;
  /** Download again even when the cache has the file. */
  force?: boolean;
  /** Times to resume after a dropped connection (default 5). */
  retries?: number;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

// Errors that mean the host cannot be reached at all, as opposed to a transfer that broke.
const OFFLINE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

async function fileSize(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.size,
    () => undefined,
  );
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

function offlineMessage(name: DatasetName, target: string, code: string): string {
  const d = DATASETS[name];
  return (
    `cannot reach the server (${code}); seqlearn is offline or the host is down. ` +
    `Download ${d.url} on a machine with internet and pass its local path to the reader instead ` +
    `(${d.reader}), or copy it to ${target} so fetchDataset finds it in the cache.`
  );
}

/** Parses `bytes 100-199/200` and checks that the server resumed where asked. */
function checkContentRange(url: string, header: string | null, offset: number): number | undefined {
  const m = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header) : null;
  if (!m || Number(m[1]) !== offset)
    throw new DownloadError(url, `asked to resume at byte ${offset}, the server answered Content-Range "${header ?? ''}"`);
  return m[3] === '*' ? undefined : Number(m[3]);
}

/**
 * Downloads a known data set into the cache and returns the file's path. The file appears
 * under its final name only once complete and verified (written to `.partial/`, then renamed).
 * A dropped connection is resumed with an HTTP Range request; a bad checksum deletes the
 * download and throws ChecksumError; no network throws OfflineError, which says how to pass
 * a local copy instead.
 */
export async function fetchDataset(name: DatasetName, options: FetchOptions = {}): Promise<string> {
  const source = DATASETS[name];
  if (!source) throw new CorporaOptionError(`unknown data set "${String(name)}"; expected one of ${Object.keys(DATASETS).join(', ')}`);
  const url = options.baseUrl ? `${options.baseUrl.replace(/\/+$/, '')}/${source.fileName}` : source.url;
  const expected = options.sha256 === null ? undefined : (options.sha256 ?? source.sha256)?.toLowerCase();
  const dir = options.cacheDir ?? defaultCacheDir();
  const target = join(dir, source.fileName);
  const partialDir = join(dir, '.partial');
  const partial = join(partialDir, `${source.fileName}.part`);

  if (!options.force && (await fileSize(target)) !== undefined) return target;
  await mkdir(partialDir, { recursive: true });
  if (options.force) await rm(partial, { force: true });

  const retries = options.retries ?? 5;
  let attempt = 0;
  try {
    for (;;) {
      attempt++;
      const offset = (await fileSize(partial)) ?? 0;
      try {
        await downloadOnce(name, url, partial, offset, attempt, target, options);
        break;
      } catch (error) {
        if (error instanceof DownloadError || options.signal?.aborted) throw error;
        if (attempt > retries) {
          throw new DownloadError(
            url,
            `download failed after ${attempt} attempt(s): ${(error as Error).message}; ` +
              `the ${(await fileSize(partial)) ?? 0} bytes received are kept in ${partial} and the next call resumes from there`,
            { cause: error },
          );
        }
      }
    }
  } catch (error) {
    // Received bytes are kept for the next call to resume from; an empty file or folder is not.
    if (!(((await fileSize(partial)) ?? 0) > 0)) await rm(partial, { force: true });
    await rmdir(partialDir).catch(() => undefined);
    throw error;
  }

  if (expected !== undefined) {
    const actual = await sha256File(partial);
    if (actual !== expected) {
      await rm(partial, { force: true });
      await rmdir(partialDir).catch(() => undefined);
      throw new ChecksumError(url, expected, actual);
    }
  }
  await mkdir(dir, { recursive: true });
  await rename(partial, target);
  // Only removed when empty: another data set's interrupted download may be waiting there.
  await rmdir(partialDir).catch(() => undefined);
  return target;
}

async function downloadOnce(
  name: DatasetName,
  url: string,
  partial: string,
  offset: number,
  attempt: number,
  target: string,
  options: FetchOptions,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal: options.signal, redirect: 'follow' });
  } catch (error) {
    const code = errorCode(error);
    if (code !== undefined && OFFLINE_CODES.has(code)) throw new OfflineError(url, offlineMessage(name, target, code), { cause: error });
    throw error;
  }
  let start = offset;
  let total: number | undefined;
  if (response.status === 206) {
    total = checkContentRange(url, response.headers.get('content-range'), offset);
  } else if (response.status === 416 && offset > 0) {
    // Asked for bytes past the end: what we hold is already the whole file.
    await response.body?.cancel();
    return;
  } else if (response.ok) {
    // The server ignored the Range header: start over rather than append the file twice.
    if (offset > 0) await truncate(partial, 0);
    start = 0;
    const length = response.headers.get('content-length');
    total = length === null ? undefined : Number(length);
  } else {
    await response.body?.cancel();
    throw new DownloadError(url, `HTTP ${response.status} ${response.statusText}`);
  }
  if (!response.body) throw new DownloadError(url, 'the response has no body');

  let bytes = start;
  options.onProgress?.({ dataset: name, bytes, totalBytes: total, resumedFrom: start, attempt });
  // Each chunk is on disk before the next is read, so when the connection drops every byte
  // received is kept and the next attempt resumes right after it.
  const file = await open(partial, start > 0 ? 'a' : 'w');
  try {
    for await (const chunk of response.body as WebReadableStream<Uint8Array>) {
      await file.write(chunk);
      bytes += chunk.length;
      options.onProgress?.({ dataset: name, bytes, totalBytes: total, resumedFrom: start, attempt });
    }
  } finally {
    await file.close();
  }
  if (total !== undefined && bytes !== total) throw new Error(`the connection closed at byte ${bytes} of ${total}`);
}
