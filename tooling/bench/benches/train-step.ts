// One training step (forward, backward, RMSprop) of each chapter-6 model, three ways in one
// run: ours, tfjs `cpu` with its stock kernels and layers ("stock"), and PyTorch 1.13 on the
// CPU (peers/train_step.py), both sides on the same number of threads. Ours is the compiled
// training step (compileTrainStep, on the batch's host arrays) for the models it supports
// (all of these), with tfjs-layers' trainOnBatch on the project's kernels and the fused
// recurrent layers beside it as ours_layers_ms; for a model it does not support, ours is that
// trainOnBatch (ours_path says which). Same shapes everywhere:
//   IMDB: batch 128 x 500 tokens, Embedding(10000, 32), 32 units: simpleRnn, lstm, gru,
//         bidirectionalLstm; conv1dText (Embedding(10000, 128), Conv1D(32, 7) stack).
//   PRSA: batch 128 x 120 steps x 18 features: gruTimeseries, convGruTimeseries (no dropout,
//         since PyTorch's GRU has no recurrent dropout).
// One JSON line per model: ours against PyTorch (ratio), with stock_ms beside it.
// Options: --models a,b (default all), --runs N (ours, default 3), --stock (also time tfjs's
// stock kernels and layers, once per model: on these shapes that takes many minutes and
// gigabytes, so it is opt-in), --stock-runs N (stock runs per model; default 0, or 1 with
// --stock), --peer-runs N (default 5),
// --threads N (default 2, this machine's cores: ours splits recurrent batches over a second
// thread, PyTorch gets N intra-op threads; 1 keeps both sides on one).
import { parseArgs } from 'node:util';
import { createRng } from '@seqlearn/dataset';
import { initBackend, useProjectKernels, useStockKernels } from '@seqlearn/backend';
import { useWasmThreads, wasmThreads } from '@seqlearn/backend/ops';
import {
  bidirectionalLstm,
  compileTrainStep,
  conv1dText,
  convGruTimeseries,
  gru,
  gruTimeseries,
  lstm,
  simpleRnn,
  trainStepSupport,
  type RecurrentImpl,
} from '@seqlearn/models';
import { measure, median, report, runPython } from '../src/harness.js';

type PeerStep = { median_ms: number; median_cpu_ms: number; torch: string; threads: number };

const { values: opts } = parseArgs({
  options: {
    models: { type: 'string', default: 'gruTimeseries,convGruTimeseries,simpleRnn,lstm,gru,bidirectionalLstm,conv1dText' },
    runs: { type: 'string', default: '3' },
    stock: { type: 'boolean', default: false },
    'stock-runs': { type: 'string' },
    'peer-runs': { type: 'string', default: '5' },
    threads: { type: 'string', default: '2' },
  },
});

// Steady state, as in a long training run: our first steps are slower (V8 optimizes a
// WebAssembly function only after its first calls, the worker thread's copy as well, and the
// allocator settles), and on this machine single steps vary by a factor of two, so both sides
// warm up alike for 8 steps and report medians.
const WARMUP = 8;
const BATCH = 128;
const MAXLEN = 500;
const TIMESTEPS = 120;
const FEATURES = 18;
const UNITS = 32;

const { tf } = await initBackend({ backend: 'cpu' });
const threads = Number(opts.threads);
useWasmThreads(threads > 1);

type Builder = (impl: RecurrentImpl) => ReturnType<typeof tf.sequential>;
const text = { maxWords: 10000, embeddingDim: 32, maxlen: MAXLEN, units: UNITS, seed: 1 };
const series = { features: FEATURES, timesteps: TIMESTEPS, units: UNITS, seed: 1, dropout: 0, recurrentDropout: 0 };
const builders: Record<string, { build: Builder; kind: 'text' | 'series' }> = {
  simpleRnn: { build: (impl) => simpleRnn({ ...text, recurrentImpl: impl }), kind: 'text' },
  lstm: { build: (impl) => lstm({ ...text, recurrentImpl: impl }), kind: 'text' },
  gru: { build: (impl) => gru({ ...text, recurrentImpl: impl }), kind: 'text' },
  bidirectionalLstm: { build: (impl) => bidirectionalLstm({ ...text, recurrentImpl: impl }), kind: 'text' },
  // The book trains this one with lr 1e-4; the step costs the same at any rate.
  conv1dText: { build: () => conv1dText({ maxWords: 10000, embeddingDim: 128, maxlen: MAXLEN, seed: 1 }), kind: 'text' },
  gruTimeseries: { build: (impl) => gruTimeseries({ ...series, recurrentImpl: impl }), kind: 'series' },
  convGruTimeseries: { build: (impl) => convGruTimeseries({ ...series, recurrentImpl: impl }), kind: 'series' },
};

interface HostBatch {
  x: Int32Array | Float32Array;
  xShape: number[];
  y: Float32Array;
}

function batchFor(kind: 'text' | 'series'): HostBatch {
  const rand = createRng(0).next;
  if (kind === 'text') {
    return {
      x: Int32Array.from({ length: BATCH * MAXLEN }, () => Math.floor(rand() * 10000)),
      xShape: [BATCH, MAXLEN],
      y: Float32Array.from({ length: BATCH }, () => (rand() < 0.5 ? 0 : 1)),
    };
  }
  return {
    x: Float32Array.from({ length: BATCH * TIMESTEPS * FEATURES }, () => rand() * 2 - 1),
    xShape: [BATCH, TIMESTEPS, FEATURES],
    y: Float32Array.from({ length: BATCH }, () => rand() * 2 - 1),
  };
}

interface Times {
  wall: number;
  cpu: number;
}

const times = (m: { wallMs: number[]; cpuMs: number[] }): Times => ({ wall: median(m.wallMs), cpu: median(m.cpuMs) });

/** tfjs-layers' trainOnBatch; and the compiled step too when `compiled` and the model allows it. */
async function stepMs(impl: RecurrentImpl, name: string, runs: number, compiled: boolean): Promise<{ layers: Times; compiled?: Times }> {
  const { build, kind } = builders[name];
  const model = build(impl);
  const batch = batchFor(kind);
  const x = tf.tensor(batch.x, batch.xShape, kind === 'text' ? 'int32' : 'float32');
  const y = tf.tensor2d(batch.y, [BATCH, 1]);
  // The stock steps take seconds to minutes; their first run is timed as it comes.
  const layers = times(await measure(() => model.trainOnBatch(x, y), { runs, warmup: impl === 'stock' ? 0 : WARMUP }));
  let compiledTimes: Times | undefined;
  if (compiled && trainStepSupport(model).supported) {
    const step = compileTrainStep(model);
    compiledTimes = times(await measure(() => step.run(batch.x, batch.xShape, batch.y), { runs, warmup: WARMUP }));
  }
  tf.dispose([x, y]);
  model.dispose();
  return { layers, compiled: compiledTimes };
}

const round = (v: number) => Number(v.toPrecision(4));
const stockRuns = Number(opts['stock-runs'] ?? (opts.stock ? '1' : '0'));
/** PyTorch's step, or why it could not run: the benchmark still reports ours. */
async function peerStep(args: string[]): Promise<PeerStep | string> {
  try {
    return await runPython<PeerStep>('train_step.py', args);
  } catch (error) {
    // The first line says which peer failed; the last of the peer's own lines, why.
    const lines = (error instanceof Error ? error.message : String(error)).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('('));
    return lines.length > 1 ? `${lines[0]} ${lines[lines.length - 1].trim()}` : (lines[0] ?? 'failed');
  }
}

for (const name of opts.models.split(',')) {
  if (!(name in builders)) throw new Error(`unknown model ${name}; known: ${Object.keys(builders).join(', ')}`);
  useProjectKernels();
  const measured = await stepMs('fused', name, Number(opts.runs), true);
  const ours = measured.compiled ?? measured.layers;
  let stock: Times | undefined;
  if (stockRuns > 0) {
    useStockKernels();
    stock = (await stepMs('stock', name, stockRuns, false)).layers;
    useProjectKernels();
  }
  const peerArgs = [
    name,
    '--runs',
    opts['peer-runs'],
    '--warmup',
    String(WARMUP),
    '--threads',
    String(threads),
    '--batch',
    String(BATCH),
    '--maxlen',
    String(MAXLEN),
    '--timesteps',
    String(TIMESTEPS),
    '--features',
    String(FEATURES),
    '--units',
    String(UNITS),
  ];
  const torch = await peerStep(peerArgs);
  if (typeof torch === 'string') {
    process.stdout.write(
      `${JSON.stringify({
        bench: `train-step ${name}`,
        ours_ms: round(ours.wall),
        peer: 'pytorch unavailable',
        peer_ms: null,
        ratio: null,
        peer_error: torch,
        ours_path: measured.compiled === undefined ? 'tfjs-layers' : 'compiled step',
        ours_layers_ms: round(measured.layers.wall),
        stock_ms: stock === undefined ? null : round(stock.wall),
        ours_cpu_ms: round(ours.cpu),
      })}\n`,
    );
    continue;
  }
  report({
    bench: `train-step ${name}`,
    ours_ms: ours.wall,
    peer: `pytorch ${torch.torch} cpu, ${torch.threads} thread${torch.threads === 1 ? '' : 's'}`,
    ours_threads: wasmThreads(),
    peer_ms: torch.median_ms,
    ours_path: measured.compiled === undefined ? 'tfjs-layers' : 'compiled step',
    ours_layers_ms: round(measured.layers.wall),
    stock_ms: stock === undefined ? null : round(stock.wall),
    ours_cpu_ms: round(ours.cpu),
    peer_cpu_ms: round(torch.median_cpu_ms),
    cpu_ratio: round(ours.cpu / torch.median_cpu_ms),
    stock_speedup: stock === undefined ? null : round(stock.wall / ours.wall),
  });
}
