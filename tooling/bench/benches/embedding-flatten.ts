// One training step (forward, backward, RMSprop) of Embedding(10000, 8) -> Flatten ->
// Dense(1, sigmoid), batch 32 x 20 tokens, three ways in one run: tfjs `cpu` with its stock
// kernels, tfjs `cpu` with ours (initBackend), and PyTorch on the CPU (peers/embedding_flatten.py).
// Stock and ours share one process and one model: kernels are looked up on every call, so
// swapping them in the registry is all that differs.
// Options: --stock-runs N (default 3; the stock step takes tens of seconds; 0 skips it),
// --runs N (ours, default 40), --peer-runs N (PyTorch, default 300).
import { parseArgs } from 'node:util';
import { createRng } from '@seqlearn/dataset';
import { initBackend, useProjectKernels, useStockKernels } from '@seqlearn/backend';
import { measure, median, report, runPythonWithMemory, selfPeakRssMb } from '../src/harness.js';

const { values: opts } = parseArgs({
  options: {
    'stock-runs': { type: 'string', default: '3' },
    runs: { type: 'string', default: '40' },
    'peer-runs': { type: 'string', default: '300' },
  },
});
const stockRuns = Number(opts['stock-runs']);
const oursRuns = Number(opts.runs);
const peerRuns = Number(opts['peer-runs']);

const VOCAB = 10000;
const DIM = 8;
const BATCH = 32;
const MAXLEN = 20;
const POOL = 16;
const BENCH = 'embedding-flatten';

const { tf } = await initBackend({ backend: 'cpu' });

const rand = createRng(0).next;
const model = tf.sequential({
  layers: [
    tf.layers.embedding({
      inputDim: VOCAB, outputDim: DIM, inputLength: MAXLEN,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 1 }),
    }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
  ],
});
model.compile({ optimizer: 'rmsprop', loss: 'binaryCrossentropy' });
const xs = Array.from({ length: POOL }, () =>
  tf.tensor2d(Int32Array.from({ length: BATCH * MAXLEN }, () => Math.floor(rand() * VOCAB)), [BATCH, MAXLEN], 'int32'),
);
const ys = Array.from({ length: POOL }, () => tf.tensor2d(Float32Array.from({ length: BATCH }, () => (rand() < 0.5 ? 0 : 1)), [BATCH, 1]));

let i = 0;
const step = () => model.trainOnBatch(xs[i % POOL], ys[i++ % POOL]);

// Ours first: its warm-up also creates the optimizer's slots and compiles the JS paths the
// stock runs share, so the slow stock runs need no warm-up of their own.
useProjectKernels();
const ours = await measure(step, { runs: oursRuns, warmup: 5 });
const oursMs = median(ours.wallMs);
const oursCpuMs = median(ours.cpuMs);
const nodePeakMb = selfPeakRssMb();
let stockMs: number | undefined;
let stockCpuMs: number | undefined;
if (stockRuns > 0) {
  useStockKernels();
  const stock = await measure(step, { runs: stockRuns, warmup: 0 });
  stockMs = median(stock.wallMs);
  stockCpuMs = median(stock.cpuMs);
  useProjectKernels();
}

const torch = await runPythonWithMemory<{ median_ms: number; median_cpu_ms: number; threads: number; torch: string }>('embedding_flatten.py', [
  '--runs', String(peerRuns), '--warmup', '30', '--threads', '1',
  '--vocab', String(VOCAB), '--dim', String(DIM), '--batch', String(BATCH), '--maxlen', String(MAXLEN),
]);
const peer = `pytorch-cpu-${torch.result.threads}thread`;
const r4 = (x: number | undefined) => (x === undefined ? undefined : Number(x.toPrecision(4)));
const peerCpuMs = torch.result.median_cpu_ms;
const torchExtra = { peer_cpu_ms: r4(peerCpuMs), torch: torch.result.torch, peer_peak_mb: torch.peakRssMb === undefined ? undefined : Math.round(torch.peakRssMb) };

if (stockMs !== undefined) {
  report({ bench: `${BENCH}/stock`, ours_ms: stockMs, peer, peer_ms: torch.result.median_ms, ours: 'tfjs-cpu-stock', runs: stockRuns, ours_cpu_ms: r4(stockCpuMs), ...torchExtra });
}
report({ bench: BENCH, ours_ms: oursMs, peer, peer_ms: torch.result.median_ms, ours: 'tfjs-cpu-seqlearn', runs: oursRuns, ours_cpu_ms: r4(oursCpuMs), ours_peak_mb: Math.round(nodePeakMb), ...torchExtra });
if (stockMs !== undefined) {
  report({ bench: `${BENCH}/vs-stock`, ours_ms: oursMs, peer: 'tfjs-cpu-stock', peer_ms: stockMs, ours: 'tfjs-cpu-seqlearn', ours_cpu_ms: r4(oursCpuMs), peer_cpu_ms: r4(stockCpuMs) });
}
