// Kernel-time tables for packages/backend/README.md: one training step profiled with tf.profile, stock tfjs
// kernels and layers against the project's. Run from the repo root:
//   pnpm bench train-step-profile [batch, default 16] [--with-text]
// Prints markdown. Reduced batch by default: the stock steps take minutes at batch 128 on a
// shared machine. --with-text adds conv1dText (500 tokens), whose stock step is the slowest.
import { createRng } from '@seqlearn/dataset';
import { initBackend, useProjectKernels, useStockKernels } from '@seqlearn/backend';
import { conv1dText, convGruTimeseries, gruTimeseries, type RecurrentImpl } from '@seqlearn/models';

const { tf } = await initBackend({ backend: 'cpu' });
const batch = Number(process.argv[2] ?? 16);
const withText = process.argv.includes('--with-text');

async function kernelTimes(
  build: (impl: RecurrentImpl) => ReturnType<typeof tf.sequential>,
  x: ReturnType<typeof tf.tensor>,
  y: ReturnType<typeof tf.tensor>,
  impl: RecurrentImpl,
) {
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

async function table(
  title: string,
  build: (impl: RecurrentImpl) => ReturnType<typeof tf.sequential>,
  x: ReturnType<typeof tf.tensor>,
  y: ReturnType<typeof tf.tensor>,
) {
  const stock = await kernelTimes(build, x, y, 'stock');
  const ours = await kernelTimes(build, x, y, 'fused');
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k]) => k);
  const names = [...new Set([...top(stock.byName, 8), ...top(ours.byName, 5)])].sort(
    (a, b) => Math.max(stock.byName.get(b) ?? 0, ours.byName.get(b) ?? 0) - Math.max(stock.byName.get(a) ?? 0, ours.byName.get(a) ?? 0),
  );
  const f = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(1));
  const lines = [`**${title}**`, '', '| kernel | stock ms | ours ms |', '|---|---:|---:|'];
  // 'forward' is a fused layer's whole-sequence op; its backward pass runs in the gradient
  // function, which tf.profile does not list as a kernel (the whole-step row includes it).
  const label = (n: string) => (n === 'forward' ? 'forward (fused recurrent op)' : n);
  for (const n of names) lines.push(`| ${label(n)} | ${f(stock.byName.get(n))} | ${f(ours.byName.get(n))} |`);
  lines.push(`| *whole step (wall, profiled)* | ${stock.wall.toFixed(0)} | ${ours.wall.toFixed(0)} |`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

const rand = createRng(0).next;
if (withText) {
  const xt = tf.tensor2d(
    Int32Array.from({ length: batch * 500 }, () => Math.floor(rand() * 10000)),
    [batch, 500],
    'int32',
  );
  const yt = tf.tensor2d(
    Float32Array.from({ length: batch }, () => (rand() < 0.5 ? 0 : 1)),
    [batch, 1],
  );
  await table(
    `conv1dText, one training step, batch ${batch} × 500 tokens`,
    () => conv1dText({ maxWords: 10000, embeddingDim: 128, maxlen: 500, seed: 1 }),
    xt,
    yt,
  );
}
const xs = tf.tensor3d(
  Float32Array.from({ length: batch * 120 * 18 }, () => rand() * 2 - 1),
  [batch, 120, 18],
);
const ys = tf.tensor2d(
  Float32Array.from({ length: batch }, () => rand()),
  [batch, 1],
);
const series = { features: 18, timesteps: 120, units: 32, seed: 1, dropout: 0, recurrentDropout: 0 };
await table(
  `gruTimeseries (GRU(32)), one training step, batch ${batch} × 120 steps × 18 features`,
  (impl) => gruTimeseries({ ...series, recurrentImpl: impl }),
  xs,
  ys,
);
await table(
  `convGruTimeseries (Conv1D(32, 5) → MaxPool(3) → Conv1D(32, 5) → GRU(32)), batch ${batch} × 120 × 18`,
  (impl) => convGruTimeseries({ ...series, recurrentImpl: impl }),
  xs,
  ys,
);
