// pnpm bench glove [--rounds N]
// Loading glove.6B.100d.top100k.txt.gz (100,000 words × 100 floats) from ../shared/data:
// - ours (readWordVectors) against gensim's KeyedVectors.load_word2vec_format(path,
//   binary=False, no_header=True) and against the book's Python loop (listing 6.10),
//   interleaved round by round in the same run so load on the machine hits all sides alike.
//   Targets: ours ≤ 1/5 of gensim, ≤ 1/10 of the book's loop.
// - the Arrow IPC cache: reload time against our own parse of the text (target ≤ 1/10).
// - peak memory of a child process that only loads, against the raw float data
//   (100,000 × 100 × 4 bytes; target ≤ 1.5×).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readVectorsCache, readWordVectors, writeVectorsCache } from '@seqlearn/glove';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { measure, median, report, runChild, runPythonWithMemory, timeIt } from '../src/harness.js';

const GLOVE = join(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/glove.6B.100d.top100k.txt.gz');
const RAW_FLOAT_MB = (100_000 * 100 * 4) / 2 ** 20;

interface PeerResult {
  ms: number[];
  cpu_ms: number[];
  words: number;
  dim: number;
  row_sums: Record<string, number>;
  nearest_king?: string[];
  king_man_woman?: string[];
}

async function gunzipOnly(): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(GLOVE, { highWaterMark: 1 << 18 }).pipe(createGunzip({ chunkSize: 1 << 18 })))
    bytes += (chunk as Buffer).length;
  return bytes;
}

interface ChildReport {
  words: number;
  baselineRssMb: number;
  peakRssMb: number;
  peakHeapAndBuffersMb: number;
  baselineHeapAndBuffersMb: number;
  /** After a full GC (the child runs with --expose-gc): what the loaded vectors really hold. */
  liveAfterGcMb: number;
}

const heapAndBuffersMb = (): number => {
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
};

/**
 * Child mode: load once and report memory. Baselines are taken after every import and a
 * full GC; the peak resident set is sampled after every chunk (and at the end), since
 * getrusage's maxRSS is a high-water mark that start-up may already have set.
 */
async function loadOnlyChild(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baselineRssMb = process.memoryUsage.rss() / 2 ** 20;
  const baselineHeapAndBuffersMb = heapAndBuffersMb();
  let peakRssMb = baselineRssMb;
  let peakHeapAndBuffersMb = baselineHeapAndBuffersMb;
  const sample = (): void => {
    peakRssMb = Math.max(peakRssMb, process.memoryUsage.rss() / 2 ** 20);
    peakHeapAndBuffersMb = Math.max(peakHeapAndBuffersMb, heapAndBuffersMb());
  };
  const vectors = await readWordVectors(GLOVE, { onProgress: sample });
  sample();
  gc?.();
  const liveAfterGcMb = heapAndBuffersMb() - baselineHeapAndBuffersMb;
  const result: ChildReport = {
    words: vectors.size,
    baselineRssMb,
    peakRssMb,
    peakHeapAndBuffersMb,
    baselineHeapAndBuffersMb,
    liveAfterGcMb,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function childMemory(): Promise<ChildReport> {
  const r = await runChild(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--conditions=@seqlearn/source', fileURLToPath(import.meta.url), '--load-only'],
    { measureMemory: false },
  );
  if (r.code !== 0) throw new Error(`load-only child failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildReport;
}

function checkSums(ours: Awaited<ReturnType<typeof readWordVectors>>, peer: PeerResult, name: string): void {
  if (peer.words !== ours.size || peer.dim !== ours.dim)
    throw new Error(`${name} read ${peer.words}×${peer.dim}, ours ${ours.size}×${ours.dim}`);
  for (const [word, sum] of Object.entries(peer.row_sums)) {
    const ourSum = ours.vector(word)!.reduce((s, x) => s + x, 0);
    if (Math.abs(ourSum - sum) > 1e-4) throw new Error(`${name}: row sum of "${word}" is ${sum}, ours ${ourSum}`);
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--load-only')) return loadOnlyChild();
  // The text parser's WebAssembly loop (packages/glove/wasm, never committed); without it the
  // reader falls back to its JavaScript loop, which is not what this benchmark is about.
  execFileSync(process.execPath, [fileURLToPath(new URL('../../../packages/glove/scripts/build-wasm.mjs', import.meta.url))], {
    stdio: 'inherit',
  });
  const roundsArg = process.argv.indexOf('--rounds');
  const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 3;

  const oursWall: number[] = [];
  const oursCpu: number[] = [];
  const bookMs: number[] = [];
  const gensimMs: number[] = [];
  const bookCpu: number[] = [];
  const gensimCpu: number[] = [];
  const gunzipMs: number[] = [];
  let bookPeak: number | undefined;
  let gensimPeak: number | undefined;
  let gensimAnswers: PeerResult | undefined;
  let vectors = await readWordVectors(GLOVE); // warm-up, and the reference for the checks
  for (let round = 0; round < rounds; round++) {
    const ours = await measure(
      async () => {
        vectors = await readWordVectors(GLOVE);
      },
      { runs: 2, warmup: 0 },
    );
    oursWall.push(...ours.wallMs);
    oursCpu.push(...ours.cpuMs);
    const book = await runPythonWithMemory<PeerResult>('glove_book.py', [GLOVE, '1']);
    checkSums(vectors, book.result, 'book loop');
    bookMs.push(...book.result.ms);
    bookCpu.push(...book.result.cpu_ms);
    bookPeak = Math.max(bookPeak ?? 0, book.peakRssMb ?? 0);
    const gensim = await runPythonWithMemory<PeerResult>('glove_gensim.py', [GLOVE, '1']);
    checkSums(vectors, gensim.result, 'gensim');
    gensimMs.push(...gensim.result.ms);
    gensimCpu.push(...gensim.result.cpu_ms);
    gunzipMs.push(...(await timeIt(gunzipOnly, { runs: 1, warmup: 0 })));
    gensimPeak = Math.max(gensimPeak ?? 0, gensim.peakRssMb ?? 0);
    gensimAnswers = gensim.result;
  }
  const ours = median(oursWall);
  const extra = { ours_cpu_ms: Number(median(oursCpu).toPrecision(4)), words: vectors.size, dim: vectors.dim, rounds };
  const cpuRatio = (peerCpu: number[]): number => Number((median(oursCpu) / median(peerCpu)).toPrecision(3));
  report({
    bench: 'glove-load',
    ours_ms: ours,
    peer: 'gensim KeyedVectors.load_word2vec_format(no_header=True)',
    peer_ms: median(gensimMs),
    target_ratio: 0.2,
    ...extra,
    peer_cpu_ms: Number(median(gensimCpu).toPrecision(4)),
    cpu_ratio: cpuRatio(gensimCpu),
  });
  report({
    bench: 'glove-load',
    ours_ms: ours,
    peer: 'book listing 6.10 loop (gzip.open, np.asarray float32)',
    peer_ms: median(bookMs),
    target_ratio: 0.1,
    ...extra,
    peer_cpu_ms: Number(median(bookCpu).toPrecision(4)),
    cpu_ratio: cpuRatio(bookCpu),
  });
  // The floor for any reader of this file: decompressing it, with nothing parsed.
  report({
    bench: 'glove-gunzip-floor',
    ours_ms: median(gunzipMs),
    peer: 'book listing 6.10 loop (gzip.open, np.asarray float32)',
    peer_ms: median(bookMs),
    our_load_over_floor: Number((ours / median(gunzipMs)).toPrecision(3)),
    note: 'node:zlib streaming gunzip of the file alone, no parsing: no reader of this file through node:zlib can beat this',
  });

  // The Arrow IPC cache against parsing the text, in the same process.
  const dir = mkdtempSync(join(tmpdir(), 'seqlearn-glove-bench-'));
  try {
    const cache = join(dir, 'glove.arrow');
    await writeVectorsCache(cache, vectors);
    // Interleaved pairs, so load on the machine hits the parse and the reload alike.
    const reloadWall: number[] = [];
    const reloadCpu: number[] = [];
    const parseWall: number[] = [];
    const parseCpu: number[] = [];
    for (let i = 0; i < 7; i++) {
      const reload = await measure(
        async () => {
          const back = await readVectorsCache(cache);
          // What a caller does next: look a word up (builds the word index).
          if (back.rowOf('king') !== vectors.rowOf('king')) throw new Error('cache reload disagrees with the parse');
        },
        { runs: 1, warmup: i === 0 ? 1 : 0 },
      );
      const parse = await measure(() => readWordVectors(GLOVE), { runs: 1, warmup: 0 });
      reloadWall.push(...reload.wallMs);
      reloadCpu.push(...reload.cpuMs);
      parseWall.push(...parse.wallMs);
      parseCpu.push(...parse.cpuMs);
    }
    report({
      bench: 'glove-ipc-reload',
      ours_ms: median(reloadWall),
      peer: 'ours: parse the .txt.gz',
      peer_ms: median(parseWall),
      target_ratio: 0.1,
      reload_cpu_ms: Number(median(reloadCpu).toPrecision(4)),
      parse_cpu_ms: Number(median(parseCpu).toPrecision(4)),
      cpu_ratio: Number((median(reloadCpu) / median(parseCpu)).toPrecision(3)),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Similarity: gensim's answers next to ours (not a timing comparison).
  const nearest = vectors.nearest('king', 5).map((n) => n.word);
  const analogy = vectors.analogy('king', 'man', 'woman', 3).map((n) => n.word);
  process.stdout.write(
    `${JSON.stringify({ bench: 'glove-similarity-check', ours_nearest_king: nearest, gensim_nearest_king: gensimAnswers?.nearest_king, ours_king_man_woman: analogy, gensim_king_man_woman: gensimAnswers?.king_man_woman })}\n`,
  );

  // Peak memory of a process that only loads (three children; the median).
  const children: ChildReport[] = [];
  for (let i = 0; i < 3; i++) children.push(await childMemory());
  const rssDelta = median(children.map((c) => c.peakRssMb - c.baselineRssMb));
  const heapDelta = median(children.map((c) => c.peakHeapAndBuffersMb - c.baselineHeapAndBuffersMb));
  process.stdout.write(
    `${JSON.stringify({
      bench: 'glove-load-memory',
      raw_float_mb: Number(RAW_FLOAT_MB.toPrecision(4)),
      ours_peak_rss_over_baseline_mb: Number(rssDelta.toPrecision(4)),
      ratio: Number((rssDelta / RAW_FLOAT_MB).toPrecision(3)),
      target_ratio: 1.5,
      ours_peak_heap_plus_arraybuffers_over_baseline_mb: Number(heapDelta.toPrecision(4)),
      heap_ratio: Number((heapDelta / RAW_FLOAT_MB).toPrecision(3)),
      ours_live_after_gc_mb: Number(median(children.map((c) => c.liveAfterGcMb)).toPrecision(4)),
      ours_child_peak_rss_mb: Number(median(children.map((c) => c.peakRssMb)).toPrecision(4)),
      ours_child_baseline_rss_mb: Number(median(children.map((c) => c.baselineRssMb)).toPrecision(4)),
      book_peak_rss_mb: bookPeak === undefined ? null : Number(bookPeak.toPrecision(4)),
      gensim_peak_rss_mb: gensimPeak === undefined ? null : Number(gensimPeak.toPrecision(4)),
    })}\n`,
  );
}

await main();
