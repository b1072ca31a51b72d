// Listing 6.7: IMDB, top 10,000 words, reviews cut to 20 words, Embedding(10000, 8) + Flatten
// + Dense(1, sigmoid), rmsprop, 10 epochs, batch 32, validation_split 0.2 (20,000 / 5,000).
// Run: node --import tsx --conditions=@seqlearn/source examples/imdb-embedding-flatten.ts
import { initBackend } from '@seqlearn/backend';
import { embeddingFlatten, evaluate, saveHistory, train } from '../src/index.js';
import { epochLog, imdbSequences, outDir, writeResult } from './common.js';

const config = {
  maxWords: 10000,
  maxlen: 20,
  epochs: Number(process.env.EPOCHS ?? 10),
  batchSize: 32,
  validationSplit: 0.2,
  seed: 113,
};

const started = performance.now();
const backend = await initBackend();
const { trainSeq, testSeq } = await imdbSequences(config);

const model = embeddingFlatten({ maxWords: config.maxWords, maxlen: config.maxlen, seed: config.seed });
const history = await train(model, trainSeq, {
  epochs: config.epochs,
  batchSize: config.batchSize,
  validationSplit: config.validationSplit,
  seed: config.seed,
  callbacks: [epochLog('imdb-embedding-flatten')],
});
await saveHistory(`${outDir}/imdb-embedding-flatten.history.json`, history);
const test = await evaluate(model, testSeq, { batchSize: 256 });
const valAcc = history.history.val_acc;
writeResult('imdb-embedding-flatten', {
  experiment: 'IMDB embeddingFlatten (listing 6.7)',
  backend: backend.name,
  config,
  trainRows: history.params.samples,
  finalValAcc: valAcc[valAcc.length - 1],
  bestValAcc: Math.max(...valAcc),
  testAcc: test.acc,
  book: { valAcc: 0.76 },
  seconds: Math.round((performance.now() - started) / 1000),
});
