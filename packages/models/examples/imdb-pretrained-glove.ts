// Listings 6.8–6.17: IMDB from the raw reviews, 200 training samples, 10,000 validation samples,
// maxlen 100, Embedding(10000, 100) → Flatten → Dense(32, relu) → Dense(1, sigmoid), rmsprop,
// 10 epochs, batch 32; with the GloVe 6B 100d embedding frozen, and without it (learned).
// Test accuracy on the 25,000 test reviews. Few samples make the result seed-dependent, so
// each variant runs with several seeds (the shuffle that picks the 200 and the initial weights).
// Run: node --import tsx --conditions=@seqlearn/source examples/imdb-pretrained-glove.ts
import { initBackend } from '@seqlearn/backend';
import { readImdb } from '@seqlearn/corpora';
import { shuffleTable, takeRows } from '@seqlearn/dataset';
import { embeddingMatrix, readWordVectors } from '@seqlearn/glove';
import { Tokenizer } from '@seqlearn/text';
import { evaluate, pretrainedEmbeddingFlatten, train } from '../src/index.js';
import { GLOVE, IMDB, splitRows, texts, toSequences, writeResult } from './common.js';

const config = {
  maxWords: 10000,
  maxlen: 100,
  embeddingDim: 100,
  trainingSamples: 200,
  validationSamples: 10000,
  epochs: 10,
  batchSize: 32,
  seeds: (process.env.SEEDS ?? '1,2,3').split(',').map(Number),
};

const started = performance.now();
const backend = await initBackend();
const corpus = await readImdb(IMDB);
const trainCorpus = splitRows(corpus, 'train');
const testCorpus = splitRows(corpus, 'test');
// Listing 6.9 fits the tokenizer on all 25,000 training reviews, then keeps 200 of them.
const tokenizer = new Tokenizer({ numWords: config.maxWords });
tokenizer.fitOnTexts(texts(trainCorpus));
const allTrain = toSequences(tokenizer, trainCorpus, config.maxlen);
const testSeq = toSequences(tokenizer, testCorpus, config.maxlen);
const glove = await readWordVectors(GLOVE);
const matrix = embeddingMatrix(glove, tokenizer.wordIndex, { maxWords: config.maxWords });

const runs: Record<string, unknown>[] = [];
for (const seed of config.seeds) {
  const shuffled = shuffleTable(allTrain, seed);
  const x = takeRows(
    shuffled,
    Array.from({ length: config.trainingSamples }, (_, i) => i),
  );
  const val = takeRows(
    shuffled,
    Array.from({ length: config.validationSamples }, (_, i) => config.trainingSamples + i),
  );
  for (const withGlove of [true, false]) {
    const model = pretrainedEmbeddingFlatten({
      maxWords: config.maxWords,
      embeddingDim: config.embeddingDim,
      maxlen: config.maxlen,
      seed,
      ...(withGlove ? { embeddingMatrix: matrix.matrix } : {}),
    });
    // The book validates every epoch to draw its curves; only the final figures are needed here,
    // and a 10,000-row pass per epoch costs far more than the 7 training steps on pure-JS tfjs.
    const history = await train(model, x, { epochs: config.epochs, batchSize: config.batchSize, seed });
    const valAcc = (await evaluate(model, val, { batchSize: 500 })).acc;
    const test = await evaluate(model, testSeq, { batchSize: 500 });
    const run = { seed, glove: withGlove, finalTrainAcc: history.history.acc.at(-1), finalValAcc: valAcc, testAcc: test.acc };
    process.stderr.write(`${JSON.stringify(run)}\n`);
    runs.push(run);
    model.dispose();
  }
}
const mean = (glove: boolean) => {
  const xs = runs.filter((r) => r.glove === glove).map((r) => r.testAcc as number);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
};
writeResult('imdb-pretrained-glove', {
  experiment: 'IMDB pretrainedEmbeddingFlatten, 200 training samples (listings 6.8–6.17)',
  backend: backend.name,
  config,
  gloveRowsFound: matrix.found,
  runs,
  meanTestAccGlove: mean(true),
  meanTestAccNoGlove: mean(false),
  book: { testAccGlove: 0.56 },
  seconds: Math.round((performance.now() - started) / 1000),
});
