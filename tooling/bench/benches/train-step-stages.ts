// Where a compiled training step's time goes, stage by stage: each stage's forward and
// backward pass, the loss head and the optimizer update, medians over timed steps after
// warm-up. Shapes as in train-step.ts.
//   pnpm bench train-step-stages [--models conv1dText,convGruTimeseries] [--runs 10] [--threads 2]
import { parseArgs } from 'node:util';
import { createRng } from '@seqlearn/dataset';
import { initBackend, useProjectKernels } from '@seqlearn/backend';
import { useWasmThreads } from '@seqlearn/backend/ops';
import { compileTrainStep, conv1dText, convGruTimeseries } from '@seqlearn/models';
import { median } from '../src/harness.js';

const { values: opts } = parseArgs({
  options: {
    models: { type: 'string', default: 'conv1dText,convGruTimeseries' },
    runs: { type: 'string', default: '10' },
    threads: { type: 'string', default: '2' },
  },
});
await initBackend({ backend: 'cpu' });
useProjectKernels();
useWasmThreads(Number(opts.threads) > 1);

const rand = createRng(0).next;
const builders: Record<
  string,
  () => { model: ReturnType<typeof conv1dText>; x: Int32Array | Float32Array; xShape: number[]; y: Float32Array }
> = {
  conv1dText: () => ({
    model: conv1dText({ maxWords: 10000, embeddingDim: 128, maxlen: 500, seed: 1 }),
    x: Int32Array.from({ length: 128 * 500 }, () => Math.floor(rand() * 10000)),
    xShape: [128, 500],
    y: Float32Array.from({ length: 128 }, () => (rand() < 0.5 ? 0 : 1)),
  }),
  convGruTimeseries: () => ({
    model: convGruTimeseries({ features: 18, timesteps: 120, units: 32, seed: 1, dropout: 0, recurrentDropout: 0, recurrentImpl: 'fused' }),
    x: Float32Array.from({ length: 128 * 120 * 18 }, () => rand() * 2 - 1),
    xShape: [128, 120, 18],
    y: Float32Array.from({ length: 128 }, () => rand() * 2 - 1),
  }),
};

interface Timed {
  forward(...a: unknown[]): unknown;
  backward(...a: unknown[]): unknown;
  constructor: { name: string };
}

for (const name of opts.models.split(',')) {
  const { model, x, xShape, y } = builders[name]();
  const step = compileTrainStep(model);
  const inner = step as unknown as {
    plan: { stages: Timed[]; head: { lossAndGradient(...a: unknown[]): unknown } };
    applyGradients(): void;
  };
  const rows = new Map<string, number[]>();
  const add = (label: string, ms: number) => (rows.get(label) ?? (rows.set(label, []).get(label) as number[])).push(ms);
  const wrap = <T extends object>(target: T, method: string, label: string) => {
    const obj = target as Record<string, (...a: unknown[]) => unknown>;
    const original = obj[method].bind(target);
    obj[method] = (...a: unknown[]) => {
      const t0 = performance.now();
      const r = original(...a);
      add(label, performance.now() - t0);
      return r;
    };
  };
  inner.plan.stages.forEach((s, i) => {
    wrap(s, 'forward', `${i} ${s.constructor.name} forward`);
    wrap(s, 'backward', `${i} ${s.constructor.name} backward`);
  });
  wrap(inner.plan.head, 'lossAndGradient', 'head');
  wrap(inner, 'applyGradients', 'optimizer');
  const runs = Number(opts.runs);
  const whole: number[] = [];
  for (let r = 0; r < runs + 5; r++) {
    if (r === 5) rows.clear();
    const t0 = performance.now();
    step.run(x, xShape, y);
    if (r >= 5) whole.push(performance.now() - t0);
  }
  const lines = [`**${name}** (median of ${runs} steps, ms)`, '', '| part | ms |', '|---|---:|'];
  for (const [label, ms] of rows) lines.push(`| ${label} | ${median(ms).toFixed(2)} |`);
  lines.push(`| *whole step* | ${median(whole).toFixed(2)} |`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
  model.dispose();
}
