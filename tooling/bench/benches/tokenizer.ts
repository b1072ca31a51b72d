// pnpm bench tokenizer [--runs N]
// Keras's Tokenizer (fit_on_texts + texts_to_sequences, num_words 10000) and pad_sequences
// (25,000 × 500) against @seqlearn/text on the 25,000 IMDB training reviews, read from the
// tarball in ../shared/data. Both sides get the same texts: they are read once from the tar
// and written to a temp JSON file that the Python peer loads.
// Also measures the peak memory of a streaming fit straight from the tarball, in a child
// process of its own so nothing else this process holds counts.
import { createReadStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { padSequences, Tokenizer } from '@seqlearn/text';
import { median, report, runChild, runPythonWithMemory, timeIt } from '../src/harness.js';

const TARBALL = join(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/aclImdb_v1_labelled.tar.gz');
const TRAIN_REVIEW = /^aclImdb\/train\/(pos|neg)\/\d+_\d+\.txt$/;
const NUM_WORDS = 10000;
const MAXLEN = 500;

/** The training reviews in tarball order, one at a time: nothing else is kept. */
async function* imdbTrainTexts(path: string): AsyncGenerator<string> {
  const tar = extract();
  createReadStream(path).pipe(createGunzip()).pipe(tar);
  for await (const entry of tar) {
    if (entry.header.type === 'file' && TRAIN_REVIEW.test(entry.header.name)) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      yield Buffer.concat(chunks).toString('utf8');
    } else {
      entry.resume();
    }
  }
}

/** Largest heap and RSS seen at the sample points (every 500 reviews and at the end). */
class MemorySampler {
  heapMb = 0;
  rssMb = 0;
  sample(): void {
    const m = process.memoryUsage();
    this.heapMb = Math.max(this.heapMb, m.heapUsed / 2 ** 20);
    this.rssMb = Math.max(this.rssMb, m.rss / 2 ** 20);
  }
  print(tokenizer: Tokenizer): void {
    this.sample();
    // Sampled, not getrusage's maxRSS: on Linux a spawned child inherits the parent's high-water mark.
    const line = {
      documents: tokenizer.documentCount,
      vocabulary: tokenizer.wordIndex.size,
      peakRssMb: this.rssMb,
      sampledHeapMb: this.heapMb,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

/** Child mode: fit from the tarball, sampling memory every 500 reviews. */
async function streamingFitChild(): Promise<void> {
  const memory = new MemorySampler();
  const tokenizer = new Tokenizer({ numWords: NUM_WORDS });
  await tokenizer.fitOnTextsAsync(imdbTrainTexts(TARBALL), { onProgress: () => memory.sample(), progressEvery: 500 });
  memory.print(tokenizer);
}

/** Child mode: the same fit with every text read into an array first, for comparison. */
async function arrayFitChild(): Promise<void> {
  const memory = new MemorySampler();
  const texts: string[] = [];
  for await (const text of imdbTrainTexts(TARBALL)) if (texts.push(text) % 500 === 0) memory.sample();
  const tokenizer = new Tokenizer({ numWords: NUM_WORDS });
  tokenizer.fitOnTexts(texts);
  memory.print(tokenizer);
}

/** Child mode: the same process with the same modules loaded and nothing read, for the baseline. */
async function baselineChild(): Promise<void> {
  new MemorySampler().print(new Tokenizer({ numWords: NUM_WORDS }));
}

/** Wraps `fn` so each call also records the CPU time this process spent in it (all threads, GC included). */
function withCpu(fn: () => unknown): { run: () => unknown; cpuMs: number[] } {
  const cpuMs: number[] = [];
  return {
    cpuMs,
    run: () => {
      const start = process.cpuUsage();
      const out = fn();
      const used = process.cpuUsage(start);
      cpuMs.push((used.user + used.system) / 1000);
      return out;
    },
  };
}

interface ChildMemory {
  documents: number;
  vocabulary: number;
  peakRssMb: number;
  sampledHeapMb: number;
}

async function childPeak(mode: string): Promise<ChildMemory> {
  const r = await runChild(process.execPath, ['--import', 'tsx', '--conditions=@seqlearn/source', fileURLToPath(import.meta.url), mode], {
    measureMemory: false,
  });
  if (r.code !== 0) throw new Error(`${mode} child failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildMemory;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === '--stream-child') return streamingFitChild();
  if (mode === '--array-child') return arrayFitChild();
  if (mode === '--baseline-child') return baselineChild();
  if (!existsSync(TARBALL)) {
    console.error(`skipped: ${TARBALL} is absent`);
    return;
  }
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

  const texts: string[] = [];
  for await (const text of imdbTrainTexts(TARBALL)) texts.push(text);
  if (texts.length !== 25000) throw new Error(`expected 25,000 training reviews, read ${texts.length}`);
  const dir = mkdtempSync(join(tmpdir(), 'seqlearn-bench-tokenizer-'));
  const textsFile = join(dir, 'texts.json');
  writeFileSync(textsFile, JSON.stringify(texts));

  try {
    const peer = await runPythonWithMemory<{
      keras_preprocessing: string;
      fit_ms: number[];
      pad_ms: number[];
      fit_cpu_ms: number[];
      pad_cpu_ms: number[];
      vocabulary: number;
      tokens: number;
      id_sum: number;
      padded_shape: [number, number];
      padded_sum: number;
    }>('tokenizer.py', [textsFile, String(NUM_WORDS), String(MAXLEN), String(runs)]);
    const keras = peer.result;

    let sequences: number[][] = [];
    let tokenizer = new Tokenizer();
    const fit = withCpu(() => {
      tokenizer = new Tokenizer({ numWords: NUM_WORDS });
      tokenizer.fitOnTexts(texts);
      sequences = tokenizer.textsToSequences(texts);
    });
    const fitTimes = await timeIt(fit.run, { runs, warmup: 1 });
    let tokens = 0;
    let idSum = 0;
    for (const s of sequences) {
      tokens += s.length;
      for (const id of s) idSum += id;
    }
    const same = tokenizer.wordIndex.size === keras.vocabulary && tokens === keras.tokens && idSum === keras.id_sum;
    if (!same)
      throw new Error(
        `results differ from Keras: vocabulary ${tokenizer.wordIndex.size}/${keras.vocabulary}, tokens ${tokens}/${keras.tokens}, id sum ${idSum}/${keras.id_sum}`,
      );
    report({
      bench: 'tokenizer.fitOnTexts+textsToSequences (IMDB train 25,000, numWords 10000)',
      ours_ms: median(fitTimes),
      peer: `keras_preprocessing ${keras.keras_preprocessing}`,
      peer_ms: median(keras.fit_ms),
      same_result: same,
      vocabulary: keras.vocabulary,
      tokens,
      // Other jobs share these cores; CPU time is the steadier comparison.
      ours_cpu_ms: Math.round(median(fit.cpuMs.slice(1))),
      peer_cpu_ms: Math.round(median(keras.fit_cpu_ms)),
      cpu_ratio: Number((median(fit.cpuMs.slice(1)) / median(keras.fit_cpu_ms)).toFixed(4)),
    });

    let padded = padSequences(sequences, { maxlen: MAXLEN });
    const pad = withCpu(() => (padded = padSequences(sequences, { maxlen: MAXLEN })));
    const padTimes = await timeIt(pad.run, { runs, warmup: 1 });
    let paddedSum = 0;
    for (const v of padded.values) paddedSum += v;
    const padSame = padded.rows === keras.padded_shape[0] && padded.columns === keras.padded_shape[1] && paddedSum === keras.padded_sum;
    if (!padSame)
      throw new Error(
        `padSequences differs from Keras: shape ${padded.shape} / ${keras.padded_shape}, sum ${paddedSum} / ${keras.padded_sum}`,
      );
    report({
      bench: `padSequences (25,000 × ${MAXLEN}, int32)`,
      ours_ms: median(padTimes),
      peer: `keras_preprocessing ${keras.keras_preprocessing}`,
      peer_ms: median(keras.pad_ms),
      same_result: padSame,
      ours_cpu_ms: Math.round(median(pad.cpuMs.slice(1))),
      peer_cpu_ms: Math.round(median(keras.pad_cpu_ms)),
      cpu_ratio: Number((median(pad.cpuMs.slice(1)) / median(keras.pad_cpu_ms)).toFixed(4)),
    });

    const streaming = await childPeak('--stream-child');
    const inMemory = await childPeak('--array-child');
    const baseline = await childPeak('--baseline-child');
    process.stdout.write(
      `${JSON.stringify({
        bench: 'tokenizer.fitOnTextsAsync straight from the tarball: peak memory',
        streaming_peak_rss_mb: Math.round(streaming.peakRssMb),
        all_texts_in_memory_peak_rss_mb: Math.round(inMemory.peakRssMb),
        node_baseline_peak_rss_mb: Math.round(baseline.peakRssMb),
        streaming_peak_heap_mb: Math.round(streaming.sampledHeapMb),
        all_texts_in_memory_peak_heap_mb: Math.round(inMemory.sampledHeapMb),
        node_baseline_heap_mb: Math.round(baseline.sampledHeapMb),
        documents: streaming.documents,
        vocabulary: streaming.vocabulary,
        keras_peer_peak_rss_mb: peer.peakRssMb === undefined ? null : Math.round(peer.peakRssMb),
      })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
