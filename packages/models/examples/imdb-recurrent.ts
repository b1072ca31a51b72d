// The chapter's IMDB sequence models at the book's full size (listings 6.22, 6.27, 6.41 and
// the convnet of 6.46): the top 10,000 words, reviews cut to 500 tokens, 20,000 training /
// 5,000 validation reviews (validation_split 0.2), batch 128, 10 epochs, rmsprop.
// MODEL picks one: simpleRnn (the book: val acc ≈ 0.85), lstm (≈ 0.89), gru,
// bidirectionalLstm (≈ 0.89), conv1dText (≈ 0.83; the book trains it with lr 1e-4).
// Run: MODEL=lstm node --import tsx --conditions=@seqlearn/source examples/imdb-recurrent.ts
import { initBackend } from '@seqlearn/backend';
import { bidirectionalLstm, conv1dText, evaluate, gru, lstm, saveHistory, simpleRnn, train } from '../src/index.js';
import { epochLog, imdbSequences, outDir, writeResult } from './common.js';

const builders = {
  simpleRnn: { build: simpleRnn, book: 0.85, listing: '6.22' },
  lstm: { build: lstm, book: 0.89, listing: '6.27' },
  gru: { build: gru, book: null, listing: '6.27 with GRU' },
  bidirectionalLstm: { build: bidirectionalLstm, book: 0.89, listing: '6.41' },
  conv1dText: { build: conv1dText, book: 0.83, listing: '6.46' },
} as const;
type ModelName = keyof typeof builders;

const name = (process.env.MODEL ?? 'lstm') as ModelName;
if (!(name in builders)) throw new Error(`MODEL must be one of ${Object.keys(builders).join(', ')}`);
const config = {
  model: name,
  maxWords: 10000,
  maxlen: 500,
  epochs: Number(process.env.EPOCHS ?? 10),
  batchSize: 128,
  validationSplit: 0.2,
  seed: 113,
};

const started = performance.now();
const backend = await initBackend();
const { trainSeq, testSeq } = await imdbSequences(config);
const prepared = performance.now();

const { build, book, listing } = builders[name];
const model =
  name === 'conv1dText'
    ? conv1dText({ maxWords: config.maxWords, maxlen: config.maxlen, seed: config.seed })
    : build({ maxWords: config.maxWords, maxlen: config.maxlen, seed: config.seed });
const epochSeconds: number[] = [];
let last = performance.now();
const history = await train(model, trainSeq, {
  epochs: config.epochs,
  batchSize: config.batchSize,
  validationSplit: config.validationSplit,
  seed: config.seed,
  callbacks: [
    epochLog(`imdb-${name}`),
    {
      onEpochEnd: () => {
        const now = performance.now();
        epochSeconds.push(Math.round((now - last) / 100) / 10);
        last = now;
      },
    },
  ],
});
await saveHistory(`${outDir}/imdb-${name}.history.json`, history);
const test = await evaluate(model, testSeq, { batchSize: 256 });
const valAcc = history.history.val_acc;
writeResult(`imdb-${name}`, {
  experiment: `IMDB ${name} (listing ${listing}), full size`,
  backend: backend.name,
  config,
  trainRows: history.params.samples,
  valAccByEpoch: valAcc,
  finalValAcc: valAcc[valAcc.length - 1],
  bestValAcc: Math.max(...valAcc),
  testAcc: test.acc,
  book: { valAcc: book },
  secondsPerEpoch: epochSeconds,
  prepareSeconds: Math.round((prepared - started) / 1000),
  seconds: Math.round((performance.now() - started) / 1000),
});
