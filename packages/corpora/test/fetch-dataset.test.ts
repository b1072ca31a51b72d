import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRng } from '@seqlearn/dataset';
import {
  ChecksumError,
  DATASETS,
  DownloadError,
  OfflineError,
  defaultCacheDir,
  fetchDataset,
  type DownloadProgress,
} from '../src/index.js';
import { tempDir } from './archive-fixtures.js';

const rng = createRng(42);
const CONTENT = Buffer.from(Array.from({ length: 300_000 }, () => rng.nextInt(256)));
const SHA256 = createHash('sha256').update(CONTENT).digest('hex');
const FILE = DATASETS.imdb.fileName;

type Mode = 'normal' | 'drop-once' | 'drop-twice' | 'drop-then-no-range' | 'missing';

/** A local server for the data set files: honours Range, and can drop the connection mid-body. */
function startServer(): Promise<{ server: Server; baseUrl: string; setMode: (m: Mode) => void; requests: string[] }> {
  let mode: Mode = 'normal';
  let drops = 0;
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.url} ${req.headers.range ?? ''}`.trim());
    if (mode === 'missing' || req.url !== `/${FILE}`) {
      res.writeHead(404).end();
      return;
    }
    const range = mode === 'drop-then-no-range' ? undefined : /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const body = CONTENT.subarray(start);
    res.writeHead(range ? 206 : 200, {
      'Content-Length': body.length,
      ...(range ? { 'Content-Range': `bytes ${start}-${CONTENT.length - 1}/${CONTENT.length}` } : {}),
    });
    const maxDrops = mode === 'drop-once' || mode === 'drop-then-no-range' ? 1 : mode === 'drop-twice' ? 2 : 0;
    if (drops < maxDrops) {
      drops++;
      // Send a third of what is left, then close the connection short of Content-Length, as a flaky network would.
      res.write(body.subarray(0, Math.floor(body.length / 3)), () => setTimeout(() => res.socket?.end(), 20));
      return;
    }
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, baseUrl: `http://127.0.0.1:${port}`, setMode: (m) => ((mode = m), (drops = 0)), requests });
    });
  });
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? '', e.name));
}

describe('fetchDataset against a local HTTP server', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let cacheDir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => new Promise<void>((resolve) => server.server.close(() => resolve())));
  beforeEach(async () => {
    ({ dir: cacheDir, cleanup } = await tempDir('cache'));
    server.requests.length = 0;
  });
  afterEach(() => cleanup());

  it('downloads, verifies sha256, reports progress and caches under the file name', async () => {
    server.setMode('normal');
    const progress: DownloadProgress[] = [];
    const path = await fetchDataset('imdb', { baseUrl: server.baseUrl, cacheDir, sha256: SHA256, onProgress: (p) => progress.push(p) });
    expect(path).toBe(join(cacheDir, FILE));
    expect((await readFile(path)).equals(CONTENT)).toBe(true);
    expect(progress[progress.length - 1]).toMatchObject({ bytes: CONTENT.length, totalBytes: CONTENT.length, resumedFrom: 0 });
    expect(await listFiles(cacheDir)).toEqual([path]);
    // A second call is served from the cache.
    expect(await fetchDataset('imdb', { baseUrl: server.baseUrl, cacheDir, sha256: SHA256 })).toBe(path);
    expect(server.requests).toEqual([`/${FILE}`]);
  });

  it('resumes with an HTTP Range request after the connection drops', async () => {
    server.setMode('drop-twice');
    const progress: DownloadProgress[] = [];
    const path = await fetchDataset('imdb', { baseUrl: server.baseUrl, cacheDir, sha256: SHA256, onProgress: (p) => progress.push(p) });
    expect((await readFile(path)).equals(CONTENT)).toBe(true);
    expect(server.requests.length).toBe(3);
    expect(server.requests[0]).toBe(`/${FILE}`);
    expect(server.requests[1]).toMatch(new RegExp(`^/${FILE.replace(/\./g, '\\.')} bytes=\\d+-$`));
    // Attempts 2 and 3 each start where the file on disk ended, never from zero.
    expect([...new Set(progress.map((p) => p.attempt))]).toEqual([1, 2, 3]);
    for (const attempt of [2, 3]) {
      const first = progress.find((p) => p.attempt === attempt)!;
      expect(first.resumedFrom).toBeGreaterThan(0);
      expect(first.bytes).toBe(first.resumedFrom);
    }
    expect(progress[progress.length - 1].bytes).toBe(CONTENT.length);
    expect(await listFiles(cacheDir)).toEqual([path]);
  });

  it('starts over when the server ignores Range on the resume', async () => {
    server.setMode('drop-then-no-range');
    const path = await fetchDataset('imdb', { baseUrl: server.baseUrl, cacheDir, sha256: null });
    expect(server.requests.length).toBe(2);
    expect(server.requests[1]).toMatch(/bytes=\d+-$/);
    // Appending the full body to the partial file would have made it longer than the original.
    expect((await readFile(path)).equals(CONTENT)).toBe(true);
  });

  it('a bad checksum throws ChecksumError and leaves nothing in the cache', async () => {
    server.setMode('drop-once');
    const wrong = '0'.repeat(64);
    const error = await fetchDataset('imdb', { baseUrl: server.baseUrl, cacheDir, sha256: wrong }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumError);
    expect((error as ChecksumError).actual).toBe(SHA256);
    expect((error as ChecksumError).message).toContain(wrong);
    expect(await listFiles(cacheDir)).toEqual([]);
  });

  it('an HTTP error is a DownloadError naming the URL; nothing is left behind', async () => {
    server.setMode('missing');
    const error = await fetchDataset('reuters21578', { baseUrl: server.baseUrl, cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/reuters21578\.tar\.gz: HTTP 404/);
    expect(await listFiles(cacheDir)).toEqual([]);
    expect(await readdir(cacheDir).catch(() => [])).not.toContain('.partial');
  });

  it('offline: OfflineError says how to pass a local path instead', async () => {
    // A port that was just free: nothing listens there, so the connection is refused.
    const closed = await startServer();
    const url = closed.baseUrl;
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const error = await fetchDataset('imdb', { baseUrl: url, cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfflineError);
    expect((error as OfflineError).code).toBe('ERR_OFFLINE');
    expect((error as OfflineError).message).toMatch(/ECONNREFUSED/);
    expect((error as OfflineError).message).toContain('pass its local path');
    expect((error as OfflineError).message).toContain('readImdb(path)');
    expect(await listFiles(cacheDir)).toEqual([]);
    // Not even an empty download folder is left in the cache.
    expect(await readdir(cacheDir).catch(() => [])).not.toContain('.partial');
  });
});

describe('cache directory', () => {
  it('follows XDG_CACHE_HOME, else ~/.cache, and ignores a relative XDG_CACHE_HOME', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/seqlearn');
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/seqlearn$/);
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' })).toMatch(/\.cache\/seqlearn$/);
  });
});
