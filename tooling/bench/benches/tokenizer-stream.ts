// pnpm bench tokenizer-stream [--docs N] [--rows-per-shard N] [--dir PATH]
// A streaming tokenizer fit over a sharded corpus against the in-memory fit on the same rows.
// The corpus is the 50,000 labelled IMDB reviews (train + test) of ../shared/data, repeated
// with distinct ids up to --docs documents (default 200,000; the large run is --docs 2000000),
// written as Arrow IPC shards with a manifest. Then, each in a child process of its own so that
// its peak resident memory (getrusage, measured by the kernel) is its own:
// - streaming: openShards + fitOnBatches, one record batch in memory at a time;
// - in memory: every text of the same shards read into an array, then fitOnTexts.
// Both fits must give the same tokenizer JSON (word counts, document counts, index order).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMDB_LABELS, imdbReviews } from '@seqlearn/corpora';
import { corpusTable } from '@seqlearn/dataset';
import { ShardWriter, openShards } from '@seqlearn/dataset/shards';
import { Tokenizer, fitOnBatches, recordBatchTexts } from '@seqlearn/text';
import { report, runChild } from '../src/harness.js';

const TARBALL = join(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/aclImdb_v1_labelled.tar.gz');
const BATCH_ROWS = 8192;

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer, got ${process.argv[at + 1]}`);
  return value;
}

interface ChildLine {
  documents: number;
  vocabulary: number;
  ms: number;
  /** CPU time of the fit (user + system): it moves less than wall time when other jobs share the cores. */
  cpuMs: number;
  loadMs?: number;
  digest: string;
  maxRssMb: number;
}

function finish(tokenizer: Tokenizer, ms: number, cpu: NodeJS.CpuUsage, extra: Partial<ChildLine> = {}): void {
  const line: ChildLine = {
    documents: tokenizer.documentCount,
    vocabulary: tokenizer.wordIndex.size,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    digest: createHash('sha256').update(tokenizer.toJSON()).digest('hex'),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    ...extra,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Child: writes `docs` rows (the IMDB reviews over and over, each copy with its own ids) as shards. */
async function buildChild(dir: string, docs: number, rowsPerShard: number): Promise<void> {
  const text: string[] = [];
  const label: number[] = [];
  const id: string[] = [];
  for await (const review of imdbReviews(TARBALL)) {
    text.push(review.text);
    label.push(review.label);
    id.push(`${review.split}/${IMDB_LABELS[review.label]}/${review.id}`);
  }
  const writer = await ShardWriter.open(dir, { rowsPerShard });
  for (let start = 0; start < docs; start += BATCH_ROWS) {
    const end = Math.min(docs, start + BATCH_ROWS);
    const rows = Array.from({ length: end - start }, (_, k) => start + k);
    const batch = corpusTable(
      {
        text: rows.map((r) => text[r % text.length]!),
        label: Int32Array.from(rows, (r) => label[r % text.length]!),
        id: rows.map((r) => `copy${Math.floor(r / text.length)}/${id[r % text.length]}`),
      },
      { labels: [...IMDB_LABELS], source: `${TARBALL}, repeated` },
    );
    await writer.write(batch);
  }
  const manifest = await writer.close();
  process.stdout.write(
    `${JSON.stringify({ rows: manifest.rows, shards: manifest.shards.length, bytes: manifest.shards.reduce((s, x) => s + x.bytes, 0) })}\n`,
  );
}

/** Child: the streaming fit, one record batch at a time. */
async function streamChild(dir: string): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const tokenizer = new Tokenizer();
  await fitOnBatches(tokenizer, await openShards(dir));
  finish(tokenizer, performance.now() - t0, process.cpuUsage(c0));
}

/** Child: every text of the same shards in one array, then fitOnTexts. */
async function memoryChild(dir: string): Promise<void> {
  const t0 = performance.now();
  const texts: string[] = [];
  for await (const batch of await openShards(dir)) for (const text of recordBatchTexts(batch)) texts.push(text);
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  const tokenizer = new Tokenizer();
  tokenizer.fitOnTexts(texts);
  finish(tokenizer, performance.now() - t1, process.cpuUsage(c1), { loadMs: t1 - t0 });
}

async function child(
  mode: string,
  args: string[],
  nodeFlags: string[] = [],
): Promise<{ line: Record<string, number | string>; peakRssMb: number | undefined }> {
  const r = await runChild(
    process.execPath,
    [...nodeFlags, '--import', 'tsx', '--conditions=@seqlearn/source', fileURLToPath(import.meta.url), mode, ...args],
    {
      timeoutMs: 30 * 60_000,
    },
  );
  if (r.code !== 0) throw new Error(`${mode} child failed:\n${r.stderr}`);
  return { line: JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number | string>, peakRssMb: r.peakRssMb };
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === '--build-child') return buildChild(rest[0]!, Number(rest[1]), Number(rest[2]));
  if (mode === '--stream-child') return streamChild(rest[0]!);
  if (mode === '--memory-child') return memoryChild(rest[0]!);
  if (!existsSync(TARBALL)) {
    console.error(`skipped: ${TARBALL} is absent`);
    return;
  }
  const docs = arg('--docs', 200_000);
  const rowsPerShard = arg('--rows-per-shard', 100_000);
  const dirAt = process.argv.indexOf('--dir');
  const base = dirAt > 0 ? process.argv[dirAt + 1]! : mkdtempSync(join(tmpdir(), 'seqlearn-bench-stream-'));
  const dir = join(base, 'corpus');
  try {
    const build = await child('--build-child', [dir, String(docs), String(rowsPerShard)]);
    const stream = await child('--stream-child', [dir]);
    // The in-memory side holds every text (about 1.3 KB each) as a string: give V8 the heap for it.
    const heapMb = Math.max(4096, Math.ceil((docs * 3) / 1000));
    const memory = await child('--memory-child', [dir], [`--max-old-space-size=${heapMb}`]);
    const identical = stream.line.digest === memory.line.digest && stream.line.documents === docs;
    if (!identical)
      throw new Error(`the streaming fit differs from the in-memory fit: ${JSON.stringify(stream.line)} / ${JSON.stringify(memory.line)}`);
    const streamMs = Number(stream.line.ms);
    report({
      bench: `tokenizer-stream: fitOnBatches over ${build.line.shards} Arrow shards (${docs.toLocaleString('en')} IMDB reviews, repeated) vs fitOnTexts on the same rows in memory`,
      ours_ms: streamMs,
      peer: 'in-memory fitOnTexts (texts already loaded)',
      peer_ms: Number(memory.line.ms),
      identical,
      documents: docs,
      vocabulary: stream.line.vocabulary,
      stream_docs_per_s: Math.round(docs / (streamMs / 1000)),
      // Shard reading included on the streaming side, texts already in memory on the other.
      stream_cpu_ms: Math.round(Number(stream.line.cpuMs)),
      in_memory_cpu_ms: Math.round(Number(memory.line.cpuMs)),
      stream_docs_per_cpu_s: Math.round(docs / (Number(stream.line.cpuMs) / 1000)),
      stream_peak_rss_mb: Math.round(stream.peakRssMb ?? Number(stream.line.maxRssMb)),
      in_memory_peak_rss_mb: Math.round(memory.peakRssMb ?? Number(memory.line.maxRssMb)),
      in_memory_load_ms: Math.round(Number(memory.line.loadMs)),
      shard_bytes: build.line.bytes,
      rows_per_shard: rowsPerShard,
      batch_rows: BATCH_ROWS,
    });
  } finally {
    if (dirAt < 0) rmSync(base, { recursive: true, force: true });
  }
}

await main();
