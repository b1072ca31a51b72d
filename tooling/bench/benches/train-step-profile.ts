// Kernel-time tables for packages/backend/README.md: one training step profiled with tf.profile, stock tfjs
// kernels and layers against the project's. Run from the repo root:
//   pnpm bench train-step-profile [convnet batch, default 16]
// Prints markdown. The convnet runs at a reduced batch by default: its stock step takes minutes.
import { initBackend, useProjectKernels, useStockKernels } from '@seqlearn/backend';
import { conv1dText, gruTimeseries, type RecurrentImpl } from '@seqlearn/models';

const { tf } = await initBackend({ backend: 'cpu' });
const convBatch = Number(process.argv[2] ?? 16);

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function kernelTimes(build: (impl: RecurrentImpl) => ReturnType<typeof tf.sequential>, x: ReturnType<typeof tf.tensor>, y: ReturnType<typeof tf.tensor>, impl: RecurrentImpl) {
  if (impl === 'fused') useProjectKernels();
  else useStockKernels();
  const model = build(impl);
  await model.trainOnBatch(x, y);
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await model.trainOnBatch(x, y);
  });
  const wall = performance.now() - t0;
  const byName = new Map<string, number>();
  for (const k of info.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  model.dispose();
  return { byName, wall };
}

async function table(title: string, build: (impl: RecurrentImpl) => ReturnType<typeof tf.sequential>, x: ReturnType<typeof tf.tensor>, y: ReturnType<typeof tf.tensor>) {
  const stock = await kernelTimes(build, x, y, 'stock');
  const ours = await kernelTimes(build, x, y, 'fused');
  const names = [...new Set([...stock.byName.keys(), ...ours.byName.keys()])]
    .sort((a, b) => Math.max(stock.byName.get(b) ?? 0, ours.byName.get(b) ?? 0) - Math.max(stock.byName.get(a) ?? 0, ours.byName.get(a) ?? 0))
    .slice(0, 10);
  const f = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1));
  const lines = [`**${title}**`, '', '| kernel | stock ms | ours ms |', '|---|---:|---:|'];
  for (const n of names) lines.push(`| ${n} | ${f(stock.byName.get(n))} | ${f(ours.byName.get(n))} |`);
  lines.push(`| *whole step (wall, profiled)* | ${stock.wall.toFixed(0)} | ${ours.wall.toFixed(0)} |`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

const rand = seeded(0);
const xt = tf.tensor2d(Int32Array.from({ length: convBatch * 500 }, () => Math.floor(rand() * 10000)), [convBatch, 500], 'int32');
const yt = tf.tensor2d(Float32Array.from({ length: convBatch }, () => (rand() < 0.5 ? 0 : 1)), [convBatch, 1]);
await table(`conv1dText, one training step, batch ${convBatch} × 500 tokens`, () => conv1dText({ maxWords: 10000, embeddingDim: 128, maxlen: 500, seed: 1 }), xt, yt);
const xs = tf.tensor3d(Float32Array.from({ length: 128 * 120 * 18 }, () => rand() * 2 - 1), [128, 120, 18]);
const ys = tf.tensor2d(Float32Array.from({ length: 128 }, () => rand()), [128, 1]);
await table('gruTimeseries (GRU(32)), one training step, batch 128 × 120 steps × 18 features', (impl) =>
  gruTimeseries({ features: 18, timesteps: 120, units: 32, seed: 1, recurrentImpl: impl }), xs, ys);
