// pnpm bench tokenizer-parallel [--runs N]
// Tokenizer fit + conversion (fitOnTexts, then textsToRaggedSequences; numWords 10000) over the
// 50,000 IMDB reviews (train and test, read from the tarball in ../shared/data) on one thread
// (Tokenizer in this thread) against two threads (TokenizerPool from @seqlearn/text/node with
// threads: 2: this thread works one share, a worker thread the other). The two sides take
// turns within each run, each after a full garbage collection. Every two-thread result is
// checked to be identical to the one-thread one: the tokenizer's JSON (counts, document
// counts, index) and every sequence. Default 3 timed runs: the whole bench stays within five
// minutes on a loaded machine.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { imdbTexts } from '@seqlearn/corpora';
import { Tokenizer, type RaggedSequences } from '@seqlearn/text';
import { TokenizerPool } from '@seqlearn/text/node';
import { gitCommit, median } from '../src/harness.js';

const TARBALL = join(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/aclImdb_v1_labelled.tar.gz');
const NUM_WORDS = 10000;

function sameRagged(a: RaggedSequences, b: RaggedSequences): boolean {
  if (a.values.length !== b.values.length || a.offsets.length !== b.offsets.length) return false;
  for (let i = 0; i < a.values.length; i++) if (a.values[i] !== b.values[i]) return false;
  for (let i = 0; i < a.offsets.length; i++) if (a.offsets[i] !== b.offsets[i]) return false;
  return true;
}

async function main(): Promise<void> {
  if (!existsSync(TARBALL)) {
    console.error(`skipped: ${TARBALL} is absent`);
    return;
  }
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
  const texts: string[] = [];
  for await (const text of imdbTexts(TARBALL)) texts.push(text);
  let chars = 0;
  for (const t of texts) chars += t.length;

  const pool = new TokenizerPool({ threads: 2 });
  const one = { fit: [] as number[], convert: [] as number[], total: [] as number[], cpu: [] as number[] };
  const two = { fit: [] as number[], convert: [] as number[], total: [] as number[], cpu: [] as number[] };
  // Each side starts from a collected heap holding the same live data (the texts and the
  // reference result): otherwise whichever side runs second pays for the other's garbage.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  type Timed = { tokenizer: Tokenizer; seqs: RaggedSequences; fit: number; convert: number; cpu: number };
  const timed = async (
    fit: (t: Tokenizer) => unknown,
    convert: (t: Tokenizer) => RaggedSequences | Promise<RaggedSequences>,
  ): Promise<Timed> => {
    collect();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const tokenizer = new Tokenizer({ numWords: NUM_WORDS });
    await fit(tokenizer);
    const t1 = performance.now();
    const seqs = await convert(tokenizer);
    const t2 = performance.now();
    const used = process.cpuUsage(cpu);
    return { tokenizer, seqs, fit: t1 - t0, convert: t2 - t1, cpu: (used.user + used.system) / 1000 };
  };
  const timeSingle = () =>
    timed(
      (t) => t.fitOnTexts(texts),
      (t) => t.textsToRaggedSequences(texts),
    );
  const timeParallel = () =>
    timed(
      (t) => pool.fitOnTexts(t, texts),
      (t) => pool.textsToRaggedSequences(t, texts),
    );
  const check = (result: Timed, reference: Timed, what: string) => {
    if (result.tokenizer.toJSON() !== reference.tokenizer.toJSON() || result.tokenizer.documentCount !== reference.tokenizer.documentCount)
      throw new Error(`${what}: the two-thread fit differs from the one-thread fit`);
    if (!sameRagged(result.seqs, reference.seqs)) throw new Error(`${what}: the two-thread sequences differ from the one-thread sequences`);
  };
  const loadBefore = loadavg()[0]!;
  let vocabulary = 0;
  let tokens = 0;
  try {
    // The first round starts the workers and warms both sides up; it is checked but not timed.
    const reference = await timeSingle();
    check(await timeParallel(), reference, 'warm-up');
    vocabulary = reference.tokenizer.wordIndex.size;
    tokens = reference.seqs.values.length;
    for (let run = 0; run < runs; run++) {
      // Alternating order, so that neither side always meets the machine in the same state.
      const single = run % 2 === 0 ? await timeSingle() : undefined;
      const parallel = await timeParallel();
      check(parallel, reference, `run ${run}`);
      const timings: [typeof one, Timed][] = [
        [one, single ?? (await timeSingle())],
        [two, parallel],
      ];
      for (const [side, timing] of timings) {
        side.fit.push(timing.fit);
        side.convert.push(timing.convert);
        side.total.push(timing.fit + timing.convert);
        side.cpu.push(timing.cpu);
      }
    }
  } finally {
    await pool.close();
  }
  const r = (x: number) => Math.round(x);
  const line = {
    bench: `tokenizer fitOnTexts + textsToRaggedSequences, IMDB ${texts.length.toLocaleString('en-US')} reviews (numWords ${NUM_WORDS}): 2 threads (TokenizerPool) vs 1 thread`,
    one_thread_ms: r(median(one.total)),
    two_threads_ms: r(median(two.total)),
    speedup: Number((median(one.total) / median(two.total)).toFixed(3)),
    fit_speedup: Number((median(one.fit) / median(two.fit)).toFixed(3)),
    convert_speedup: Number((median(one.convert) / median(two.convert)).toFixed(3)),
    one_thread_fit_ms: r(median(one.fit)),
    two_threads_fit_ms: r(median(two.fit)),
    one_thread_convert_ms: r(median(one.convert)),
    two_threads_convert_ms: r(median(two.convert)),
    identical: true,
    // CPU time of this process, worker threads included: what the parallel path costs beyond the work itself.
    one_thread_cpu_ms: r(median(one.cpu)),
    two_threads_cpu_ms: r(median(two.cpu)),
    cpu_ratio: Number((median(two.cpu) / median(one.cpu)).toFixed(3)),
    runs,
    texts: texts.length,
    chars,
    vocabulary,
    tokens,
    // Docs per second of the two-thread fit + conversion (the basis of docs/SCALE.md's estimates).
    two_threads_docs_per_s: r(texts.length / (median(two.total) / 1000)),
    one_thread_docs_per_s: r(texts.length / (median(one.total) / 1000)),
    // Other jobs share these cores: the 1-minute load average before and after, over 2 cores.
    load_before: Number(loadBefore.toFixed(2)),
    load_after: Number(loadavg()[0]!.toFixed(2)),
    commit: gitCommit(),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

await main();
