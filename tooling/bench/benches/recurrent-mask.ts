// What masking and the GRU's resetAfter cost the fused recurrent layers: the compiled training
// step of the IMDB models (batch 128 x 500 tokens, Embedding(10000, 32), 32 units), in one run,
// for each model as
//   plain    no mask (the book's models);
//   ones     maskZero on, but no token is padding (the mask's bookkeeping alone);
//   padded   maskZero on, rows padded at the start to random lengths in [50, 500], as
//            pad_sequences leaves IMDB reviews;
//   reset    gru only: resetAfter true, no mask.
// One JSON line per model and variant: median wall and cpu ms, and the ratio to plain.
// Options: --models a,b (default simpleRnn,lstm,gru,bidirectionalLstm), --variants a,b
// (default plain,ones,padded,reset), --runs N (default 5), --warmup N (default 4),
// --threads N (default 2).
import { parseArgs } from 'node:util';
import { createRng } from '@seqlearn/dataset';
import { initBackend, useProjectKernels } from '@seqlearn/backend';
import { useWasmThreads } from '@seqlearn/backend/ops';
import { bidirectionalLstm, compileTrainStep, gru, lstm, simpleRnn } from '@seqlearn/models';
import { measure, median } from '../src/harness.js';

const { values: opts } = parseArgs({
  options: {
    models: { type: 'string', default: 'simpleRnn,lstm,gru,bidirectionalLstm' },
    variants: { type: 'string', default: 'plain,ones,padded,reset' },
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '4' },
    threads: { type: 'string', default: '2' },
  },
});

const BATCH = 128;
const MAXLEN = 500;
const { tf } = await initBackend({ backend: 'cpu' });
useWasmThreads(Number(opts.threads) > 1);
useProjectKernels();

type Variant = 'plain' | 'ones' | 'padded' | 'reset';
const builders: Record<string, (extra: Record<string, unknown>) => ReturnType<typeof tf.sequential>> = {
  simpleRnn: (extra) => simpleRnn({ numWords: 10000, embeddingDim: 32, maxlen: MAXLEN, units: 32, seed: 1, ...extra }),
  lstm: (extra) => lstm({ numWords: 10000, embeddingDim: 32, maxlen: MAXLEN, units: 32, seed: 1, ...extra }),
  gru: (extra) => gru({ numWords: 10000, embeddingDim: 32, maxlen: MAXLEN, units: 32, seed: 1, ...extra }),
  bidirectionalLstm: (extra) => bidirectionalLstm({ numWords: 10000, embeddingDim: 32, maxlen: MAXLEN, units: 32, seed: 1, ...extra }),
};

function batch(padded: boolean): { x: Int32Array; y: Float32Array } {
  const rng = createRng(7);
  const x = new Int32Array(BATCH * MAXLEN);
  for (let b = 0; b < BATCH; b++) {
    const length = padded ? 50 + rng.nextInt(MAXLEN - 49) : MAXLEN;
    for (let t = MAXLEN - length; t < MAXLEN; t++) x[b * MAXLEN + t] = 1 + rng.nextInt(9999);
  }
  return { x, y: Float32Array.from({ length: BATCH }, () => rng.nextInt(2)) };
}

const round = (v: number) => Number(v.toPrecision(4));
for (const name of opts.models.split(',')) {
  const build = builders[name];
  if (build === undefined) throw new Error(`unknown model ${name}; known: ${Object.keys(builders).join(', ')}`);
  let plainMs: number | undefined;
  for (const variant of opts.variants.split(',') as Variant[]) {
    if (variant === 'reset' && name !== 'gru') continue;
    const extra = variant === 'ones' || variant === 'padded' ? { maskZero: true } : variant === 'reset' ? { resetAfter: true } : {};
    const model = build(extra);
    const step = compileTrainStep(model);
    const { x, y } = batch(variant === 'padded');
    const m = await measure(() => step.run(x, [BATCH, MAXLEN], y), { runs: Number(opts.runs), warmup: Number(opts.warmup) });
    const wall = median(m.wallMs);
    if (variant === 'plain') plainMs = wall;
    process.stdout.write(`${JSON.stringify({
      bench: `recurrent-mask ${name} ${variant}`, ours_ms: round(wall), ours_cpu_ms: round(median(m.cpuMs)),
      vs_plain: plainMs === undefined ? null : round(wall / plainMs),
    })}\n`);
    model.dispose();
  }
}
