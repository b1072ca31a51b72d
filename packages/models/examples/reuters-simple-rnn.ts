// Reuters keras46 (the 46 topics of Keras's `reuters` data set, rebuilt from Reuters-21578 by
// @seqlearn/corpora): Embedding(10000, 100) → SimpleRNN(32) → Dense(46, softmax), adam.
// Run: node --import tsx --conditions=@seqlearn/source examples/reuters-simple-rnn.ts
import { initBackend } from '@seqlearn/backend';
import { readReuters } from '@seqlearn/corpora';
import { paddedSequencesTable } from '@seqlearn/dataset';
import { Tokenizer, padSequences } from '@seqlearn/text';
import type { Table } from 'apache-arrow';
import { evaluate, historyWriter, reutersSimpleRnn, saveHistory, train } from '../src/index.js';
import { REUTERS, epochLog, labels, outDir, splitRows, texts, writeResult } from './common.js';

const config = {
  maxWords: 10000,
  maxlen: Number(process.env.MAXLEN ?? 100),
  // Newswires lead with the headline and the gist: keep the start of each wire.
  truncating: (process.env.TRUNCATING ?? 'post') as 'pre' | 'post',
  epochs: Number(process.env.EPOCHS ?? 5),
  batchSize: 64,
  seed: 113,
  recurrentImpl: (process.env.RECURRENT_IMPL ?? 'fused') as 'fused' | 'stock',
};

const name = process.env.RUN_NAME ?? 'reuters-simple-rnn';
const started = performance.now();
const backend = await initBackend();
const corpus = await readReuters(REUTERS, { variant: 'keras46' });
const trainCorpus = splitRows(corpus, 'train');
const testCorpus = splitRows(corpus, 'test');
const tokenizer = new Tokenizer({ numWords: config.maxWords });
tokenizer.fitOnTexts(texts(trainCorpus));
const toTable = (t: Table) => {
  const x = padSequences(tokenizer.textsToSequences(texts(t)), { maxlen: config.maxlen, truncating: config.truncating });
  return paddedSequencesTable({ tokens: x.values, maxlen: config.maxlen, label: labels(t) });
};
const trainSeq = toTable(trainCorpus);
const testSeq = toTable(testCorpus);

const model = reutersSimpleRnn({
  maxWords: config.maxWords,
  maxlen: config.maxlen,
  seed: config.seed,
  recurrentImpl: config.recurrentImpl,
});
const history = await train(model, trainSeq, {
  epochs: config.epochs,
  batchSize: config.batchSize,
  validation: testSeq,
  seed: config.seed,
  // The validation set is the test set, only watched (no early stopping, no model selection):
  // the reported figure is the last epoch's.
  callbacks: [epochLog(name), historyWriter(`${outDir}/${name}.history.json`)],
});
await saveHistory(`${outDir}/${name}.history.json`, history);
const test = await evaluate(model, testSeq, { batchSize: 256 });
// The share of the most frequent topic in the test set: what always guessing it scores.
const testLabels = labels(testCorpus);
const counts = new Map<number, number>();
for (const l of testLabels) counts.set(l, (counts.get(l) ?? 0) + 1);
writeResult(name, {
  experiment: 'Reuters keras46 reutersSimpleRnn',
  backend: backend.name,
  config,
  trainRows: trainSeq.numRows,
  testRows: testSeq.numRows,
  testAcc: test.acc,
  testLoss: test.loss,
  majorityClassAcc: Math.max(...counts.values()) / testLabels.length,
  threshold: 0.5,
  seconds: Math.round((performance.now() - started) / 1000),
});
