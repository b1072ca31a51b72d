// One training step (forward, backward, RMSprop) of Embedding(10000, 8) -> Flatten ->
// Dense(1, sigmoid), batch 32 x 20 tokens, four ways in one run: the project's compiled training
// step on host arrays (compileTrainStep, "ours"), tfjs-layers' trainOnBatch with the project's
// kernels (initBackend), the same with tfjs's stock kernels, and PyTorch on the CPU
// (peers/embedding_flatten.py). All tfjs runs share one process and one model: kernels are
// looked up on every call, so swapping them in the registry is all that differs between the
// two trainOnBatch runs.
// Options: --stock-runs N (default 3; the stock step takes tens of seconds; 0 skips it),
// --runs N (ours and the layers path, default 40), --peer-runs N (PyTorch, default 300).
import { parseArgs } from 'node:util';
import { createRng } from '@seqlearn/dataset';
import { initBackend, useProjectKernels, useStockKernels } from '@seqlearn/backend';
import { compileTrainStep } from '@seqlearn/models';
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
      inputDim: VOCAB,
      outputDim: DIM,
      inputLength: MAXLEN,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 1 }),
    }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
  ],
});
model.compile({ optimizer: 'rmsprop', loss: 'binaryCrossentropy' });
const xArrs = Array.from({ length: POOL }, () => Int32Array.from({ length: BATCH * MAXLEN }, () => Math.floor(rand() * VOCAB)));
const yArrs = Array.from({ length: POOL }, () => Float32Array.from({ length: BATCH }, () => (rand() < 0.5 ? 0 : 1)));
// The trainOnBatch runs take the same batches as tensors (views of the same arrays).
const xs = xArrs.map((x) => tf.tensor2d(x, [BATCH, MAXLEN], 'int32'));
const ys = yArrs.map((y) => tf.tensor2d(y, [BATCH, 1]));

const compiled = compileTrainStep(model);
let i = 0;
const compiledStep = () => {
  const k = i++ % POOL;
  return compiled.run(xArrs[k], [BATCH, MAXLEN], yArrs[k]);
};
const layersStep = () => model.trainOnBatch(xs[i % POOL], ys[i++ % POOL]);

// Ours first: its warm-up also creates the optimizer's slots, which the layers runs then share
// (the compiled step updates through the model's own optimizer).
useProjectKernels();
const ours = await measure(compiledStep, { runs: oursRuns, warmup: 5 });
const oursMs = median(ours.wallMs);
const oursCpuMs = median(ours.cpuMs);
const nodePeakMb = selfPeakRssMb();
// The layers path's warm-up also compiles the JS paths the stock runs share, so the slow stock
// runs need no warm-up of their own.
const layers = await measure(layersStep, { runs: oursRuns, warmup: 5 });
const layersMs = median(layers.wallMs);
const layersCpuMs = median(layers.cpuMs);
let stockMs: number | undefined;
let stockCpuMs: number | undefined;
if (stockRuns > 0) {
  useStockKernels();
  const stock = await measure(layersStep, { runs: stockRuns, warmup: 0 });
  stockMs = median(stock.wallMs);
  stockCpuMs = median(stock.cpuMs);
  useProjectKernels();
}

const torch = await runPythonWithMemory<{ median_ms: number; median_cpu_ms: number; threads: number; torch: string }>(
  'embedding_flatten.py',
  [
    '--runs',
    String(peerRuns),
    '--warmup',
    '30',
    '--threads',
    '1',
    '--vocab',
    String(VOCAB),
    '--dim',
    String(DIM),
    '--batch',
    String(BATCH),
    '--maxlen',
    String(MAXLEN),
  ],
);
const peer = `pytorch-cpu-${torch.result.threads}thread`;
const r4 = (x: number | undefined) => (x === undefined ? undefined : Number(x.toPrecision(4)));
const peerCpuMs = torch.result.median_cpu_ms;
const torchExtra = {
  peer_cpu_ms: r4(peerCpuMs),
  torch: torch.result.torch,
  peer_peak_mb: torch.peakRssMb === undefined ? undefined : Math.round(torch.peakRssMb),
};

if (stockMs !== undefined) {
  report({
    bench: `${BENCH}/stock`,
    ours_ms: stockMs,
    peer,
    peer_ms: torch.result.median_ms,
    ours: 'tfjs-cpu-stock',
    runs: stockRuns,
    ours_cpu_ms: r4(stockCpuMs),
    ...torchExtra,
  });
}
report({
  bench: `${BENCH}/layers`,
  ours_ms: layersMs,
  peer,
  peer_ms: torch.result.median_ms,
  ours: 'tfjs-layers-seqlearn-kernels',
  runs: oursRuns,
  ours_cpu_ms: r4(layersCpuMs),
  ...torchExtra,
});
report({
  bench: BENCH,
  ours_ms: oursMs,
  peer,
  peer_ms: torch.result.median_ms,
  ours: 'seqlearn-compiled-step',
  runs: oursRuns,
  ours_cpu_ms: r4(oursCpuMs),
  ours_peak_mb: Math.round(nodePeakMb),
  ...torchExtra,
});
if (stockMs !== undefined) {
  report({
    bench: `${BENCH}/vs-stock`,
    ours_ms: oursMs,
    peer: 'tfjs-cpu-stock',
    peer_ms: stockMs,
    ours: 'seqlearn-compiled-step',
    ours_cpu_ms: r4(oursCpuMs),
    peer_cpu_ms: r4(stockCpuMs),
  });
}
