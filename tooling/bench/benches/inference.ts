// pnpm bench inference [--reviews N] [--models lstm,conv1dText,gru,simpleRnn] [--chunk N] [--runs N] [--threads N]
// Inference over IMDB test reviews, raw text in, scores out: a saved and reloaded text bundle's
// `predictText` (tokenize, pad to 500, forward) against PyTorch's inference of the same
// architecture (peers/inference.py: keras_preprocessing's tokenizer loaded from the JSON ours
// wrote, pad_sequences, the model under torch.inference_mode), both on --threads threads
// (default 2), chunk by chunk (--chunk texts per call, default 256), in the same run.
// Models: lstm (Embedding(10000, 32) -> LSTM(32) -> Dense) and conv1dText (Embedding(10000, 128)
// -> Conv1D(32, 7) -> MaxPool(5) -> Conv1D(32, 7) -> GlobalMaxPool -> Dense), untrained: the
// work per review does not depend on the weights. Opt-in: gru and simpleRnn (Embedding(10000, 32)
// -> GRU(32) / SimpleRNN(32) -> Dense).
// By default 1,000 of the 25,000 test reviews (every 25th, so both labels), which keeps the
// run within five minutes on a busy 2-core machine; --reviews 25000 takes them all.
// One JSON line per model: ours_ms / peer_ms is the whole pass (tokenize, pad, forward);
// ours_prep_ms / peer_prep_ms the tokenizing and padding alone, forward_ratio the rest;
// cpu_ratio compares CPU time (both processes' threads), steadier than wall time on a shared machine.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '@seqlearn/backend';
import { useWasmThreads } from '@seqlearn/backend/ops';
import { imdbReviews } from '@seqlearn/corpora';
import { conv1dText, gru, loadBundle, lstm, saveBundle, simpleRnn } from '@seqlearn/models';
import { padSequences, Tokenizer } from '@seqlearn/text';
import { measure, median, report, runPython } from '../src/harness.js';

const TARBALL = join(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/data/aclImdb_v1_labelled.tar.gz');
const NUM_WORDS = 10000;
const MAXLEN = 500;
const ALL_TEST_REVIEWS = 25_000;

const { values: opts } = parseArgs({
  options: {
    reviews: { type: 'string', default: '1000' },
    models: { type: 'string', default: 'lstm,conv1dText' },
    chunk: { type: 'string', default: '256' },
    runs: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
  },
});
const reviews = Number(opts.reviews);
const chunk = Number(opts.chunk);
const runs = Number(opts.runs);
const threads = Number(opts.threads);
if (!(reviews >= 1 && reviews <= ALL_TEST_REVIEWS) || !(chunk >= 1) || !(runs >= 1) || !(threads >= 1)) {
  throw new Error(`--reviews must be 1…${ALL_TEST_REVIEWS}, --chunk, --runs and --threads positive integers`);
}
if (!existsSync(TARBALL)) {
  console.error(`inference: ${TARBALL} not found; this benchmark needs the shared IMDB tarball`);
  process.exit(2);
}

type PeerRun = {
  wall_ms: number[];
  cpu_ms: number[];
  forward_ms: number[];
  id_sum: number;
  outputs: number;
  threads: number;
  torch: string;
};

await initBackend({ backend: 'cpu' });
useWasmThreads(threads > 1);

// The tokenizer is fitted on the training reviews, as in the book; the test reviews are what is predicted.
const tokenizer = new Tokenizer({ numWords: NUM_WORDS });
const train: string[] = [];
const test: string[] = [];
for await (const r of imdbReviews(TARBALL)) (r.split === 'train' ? train : test).push(r.text);
tokenizer.fitOnTexts(train);
const every = ALL_TEST_REVIEWS / reviews;
const texts = reviews === test.length ? test : Array.from({ length: reviews }, (_, i) => test[Math.floor(i * every)]);

const tmp = mkdtempSync(join(tmpdir(), 'seqlearn-inference-'));
try {
  const textsPath = join(tmp, 'texts.json');
  const tokenizerPath = join(tmp, 'tokenizer.json');
  writeFileSync(textsPath, JSON.stringify(texts));
  writeFileSync(tokenizerPath, tokenizer.toJSON());

  // The ids both sides feed the models, to check that they agree.
  const prep = () => {
    let sum = 0;
    for (let start = 0; start < texts.length; start += chunk) {
      const padded = padSequences(tokenizer.textsToSequences(texts.slice(start, start + chunk)), {
        maxlen: MAXLEN,
        padding: 'pre',
        truncating: 'pre',
      });
      for (const id of padded.values) sum += id;
    }
    return sum;
  };
  const idSum = prep();
  const prepMs = median((await measure(prep, { runs: 3, warmup: 0 })).wallMs);

  const builders: Record<string, () => ReturnType<typeof lstm>> = {
    lstm: () => lstm({ numWords: NUM_WORDS, embeddingDim: 32, maxlen: MAXLEN, units: 32, seed: 1 }),
    conv1dText: () => conv1dText({ numWords: NUM_WORDS, embeddingDim: 128, maxlen: MAXLEN, seed: 1 }),
    // Opt-in (--models): the other recurrent cells, at the LSTM's sizes.
    gru: () => gru({ numWords: NUM_WORDS, embeddingDim: 32, maxlen: MAXLEN, units: 32, seed: 1 }),
    simpleRnn: () => simpleRnn({ numWords: NUM_WORDS, embeddingDim: 32, maxlen: MAXLEN, units: 32, seed: 1 }),
  };
  for (const name of opts.models.split(',')) {
    const build = builders[name];
    if (build === undefined) throw new Error(`unknown model ${name}; known: ${Object.keys(builders).join(', ')}`);
    const dir = join(tmp, name);
    const model = build();
    await saveBundle(dir, {
      model,
      config: { task: 'text', maxlen: MAXLEN, padding: 'pre', truncating: 'pre', labels: ['neg', 'pos'] },
      tokenizer,
    });
    model.dispose();
    const bundle = await loadBundle(dir);
    let outputs = 0;
    const pass = async () => {
      outputs = 0;
      for (let start = 0; start < texts.length; start += chunk)
        outputs += (await bundle.predictText(texts.slice(start, start + chunk))).length;
    };
    await bundle.predictText(texts.slice(0, chunk)); // warm-up: the JIT and the kernels' first calls
    const ours = await measure(pass, { runs, warmup: 0 });
    bundle.dispose();

    let peer: PeerRun | undefined;
    let peerError: string | undefined;
    try {
      peer = await runPython<PeerRun>('inference.py', [
        name,
        textsPath,
        tokenizerPath,
        '--maxlen',
        String(MAXLEN),
        '--chunk',
        String(chunk),
        '--runs',
        String(runs),
        '--threads',
        String(threads),
      ]);
    } catch (e) {
      peerError = (e as Error).message.split('\n').slice(0, 3).join(' ');
    }
    const oursMs = median(ours.wallMs);
    const common = {
      reviews: texts.length,
      chunk,
      threads,
      runs,
      ours_cpu_ms: Number(median(ours.cpuMs).toFixed(1)),
      ours_prep_ms: Number(prepMs.toFixed(1)),
      ours_outputs: outputs,
    };
    if (peer === undefined) {
      process.stdout.write(
        `${JSON.stringify({ bench: `inference ${name}`, ours_ms: oursMs, peer: 'pytorch unavailable', peer_ms: null, ratio: null, peer_error: peerError, ...common })}\n`,
      );
      continue;
    }
    const peerMs = median(peer.wall_ms);
    const peerForward = median(peer.forward_ms);
    report({
      bench: `inference ${name} (IMDB test reviews, tokenize + pad ${MAXLEN} + forward)`,
      ours_ms: oursMs,
      peer: `pytorch ${peer.torch} cpu ${peer.threads} threads + keras_preprocessing`,
      peer_ms: peerMs,
      ...common,
      peer_cpu_ms: Number(median(peer.cpu_ms).toFixed(1)),
      cpu_ratio: Number((median(ours.cpuMs) / median(peer.cpu_ms)).toFixed(3)),
      peer_prep_ms: Number((peerMs - peerForward).toFixed(1)),
      forward_ratio: Number(((oursMs - prepMs) / peerForward).toFixed(3)),
      same_ids: peer.id_sum === idSum && peer.outputs === outputs,
      target_ratio: 1,
    });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
