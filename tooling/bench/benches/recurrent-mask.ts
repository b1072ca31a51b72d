// What masking and the GRU's resetAfter cost the fused recurrent layers, at the IMDB models'
// sizes (batch 128 x 500 tokens, 32-dim embeddings, 32 units), in one run:
//
// 1. The whole-sequence pass alone (runSequence forward and backward, WebAssembly, one thread),
//    interleaved round by round, median process CPU ms: the figure to compare, since on a
//    shared machine wall times of whole steps vary by a factor of two. Variants: none (no
//    mask), ones (a mask with no padding: the mask's bookkeeping alone), padded (rows padded
//    at the start to lengths 50..500, as pad_sequences leaves IMDB reviews), and for the GRU
//    reset (resetAfter true, no mask).
// 2. With --step: the compiled training step of the zoo's simpleRnn, lstm, gru and
//    bidirectionalLstm, as plain, ones, padded (maskZero) and, for gru, reset; median wall
//    and CPU ms and the ratio to plain.
//
// Options: --rounds N (part 1, default 12), --step, --models a,b, --variants a,b, --runs N
// (default 5), --warmup N (default 4), --threads N (part 2, default 2).
import { parseArgs } from 'node:util';
import { createRng } from '@seqlearn/dataset';
import { initBackend, useProjectKernels } from '@seqlearn/backend';
import { runSequence, useWasmThreads, type RecurrentCell } from '@seqlearn/backend/ops';
import { bidirectionalLstm, compileTrainStep, gru, lstm, simpleRnn } from '@seqlearn/models';
import { measure, median } from '../src/harness.js';

const { values: opts } = parseArgs({
  options: {
    models: { type: 'string', default: 'simpleRnn,lstm,gru,bidirectionalLstm' },
    variants: { type: 'string', default: 'plain,ones,padded,reset' },
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '4' },
    threads: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '12' },
    step: { type: 'boolean', default: false },
  },
});

const BATCH = 128;
const MAXLEN = 500;
const round = (v: number) => Number(v.toPrecision(4));
await initBackend({ backend: 'cpu' });
useProjectKernels();

// ---------------------------------------------------------------- part 1: the passes alone
{
  useWasmThreads(false);
  const [B, T, D, U] = [BATCH, MAXLEN, 32, 32];
  const rng = createRng(3);
  const rnd = (n: number) => Float32Array.from({ length: n }, () => rng.next() * 0.2 - 0.1);
  const ones = new Uint8Array(B * T).fill(1);
  const padded = new Uint8Array(B * T);
  for (let b = 0; b < B; b++) {
    const length = 50 + rng.nextInt(T - 49);
    padded.fill(1, b * T + T - length, (b + 1) * T);
  }
  for (const cell of ['simpleRnn', 'lstm', 'gru'] as RecurrentCell[]) {
    const G = (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1) * U;
    const x = rnd(B * T * D);
    const weights = { kernel: rnd(D * G), recurrentKernel: rnd(U * G), bias: rnd(G) };
    const resetWeights = { ...weights, bias: rnd(2 * G) };
    const dy = rnd(B * U);
    const base = {
      cell,
      batch: B,
      steps: T,
      inputDim: D,
      units: U,
      goBackwards: false,
      returnSequences: false,
      activation: 0,
      recurrentActivation: 2,
      inputMask: null,
      recurrentMask: null,
    };
    const variants = [
      { name: 'none', problem: base, w: weights },
      { name: 'ones', problem: { ...base, stepMask: ones }, w: weights },
      { name: 'padded', problem: { ...base, stepMask: padded }, w: weights },
      ...(cell === 'gru' ? [{ name: 'reset', problem: { ...base, resetAfter: true }, w: resetWeights }] : []),
    ];
    const cpu = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    const rounds = Number(opts.rounds);
    for (let round = 0; round < rounds + 2; round++) {
      for (const v of variants) {
        const c0 = process.cpuUsage();
        runSequence(v.problem, x, v.w, true).backward(dy);
        const c = process.cpuUsage(c0);
        if (round >= 2) cpu.get(v.name)?.push((c.user + c.system) / 1000);
      }
    }
    const none = median(cpu.get('none') ?? []);
    for (const v of variants) {
      const ms = median(cpu.get(v.name) ?? []);
      process.stdout.write(
        `${JSON.stringify({ bench: `recurrent-mask pass ${cell} ${v.name}`, cpu_ms: round(ms), vs_none: round(ms / none) })}\n`,
      );
    }
  }
}

useWasmThreads(Number(opts.threads) > 1);

type Variant = 'plain' | 'ones' | 'padded' | 'reset';
const builders: Record<string, (extra: Record<string, unknown>) => ReturnType<typeof simpleRnn>> = {
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

for (const name of opts.step ? opts.models.split(',') : []) {
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
    process.stdout.write(
      `${JSON.stringify({
        bench: `recurrent-mask ${name} ${variant}`,
        ours_ms: round(wall),
        ours_cpu_ms: round(median(m.cpuMs)),
        vs_plain: plainMs === undefined ? null : round(wall / plainMs),
      })}\n`,
    );
    model.dispose();
  }
}
