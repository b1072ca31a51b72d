import type { Table } from 'apache-arrow';
import type * as tfjs from '@tensorflow/tfjs';
import { readImdb, readReuters, readReutersJson, type ReadProgress } from '@seqlearn/corpora';
import { META, columnValues, paddedSequencesTable, shuffledIndices, takeRows, vectorsTable } from '@seqlearn/dataset';
import { hashingTrick } from '@seqlearn/encoding';
import { embeddingMatrix, readWordVectors } from '@seqlearn/glove';
import {
  bidirectionalLstm,
  conv1dText,
  embeddingFlatten,
  evaluate,
  gru,
  lstm,
  pretrainedEmbeddingFlatten,
  reutersBidirectionalLstm,
  reutersLstm,
  reutersSimpleRnn,
  simpleRnn,
  type BundleConfig,
} from '@seqlearn/models';
import { Tokenizer, padSequences } from '@seqlearn/text';
import { fileIdentity, locateGlove, locateImdb, locateReuters } from '../data/locate.js';
import type { Experiment } from '../experiments/catalog.js';
import type { TextConfig } from '../experiments/profiles.js';
import { runStage } from '../stages/stage-cache.js';
import type { RunContext } from './context.js';
import type { PreparedRun } from './prepared.js';
import { reportStage } from './stages-log.js';

const ROWS_META = 'seqlearn.rows';

interface RowCounts {
  train: number;
  validation: number;
  test: number;
}

function texts(table: Table): string[] {
  return table.getChild('text')!.toArray() as string[];
}

function labelsOf(table: Table): Int32Array {
  return Int32Array.from(table.getChild('label')!.toArray() as ArrayLike<number>);
}

function metaJson<T>(table: Table, key: string): T {
  const value = table.schema.metadata.get(key);
  if (value === undefined) throw new Error(`table has no ${key} metadata`);
  return JSON.parse(value) as T;
}

/** Rows of a split, in a seeded random order, at most `limit` of them. */
function splitRows(corpus: Table, split: string, seed: number, limit?: number): number[] {
  const col = corpus.getChild('split')!;
  const rows: number[] = [];
  for (let i = 0; i < corpus.numRows; i++) if (col.get(i) === split) rows.push(i);
  const order = shuffledIndices(rows.length, seed);
  const n = Math.min(limit ?? rows.length, rows.length);
  return Array.from(order.subarray(0, n), (i) => rows[i]);
}

async function corpusStage(ctx: RunContext, exp: Experiment) {
  const source = exp.dataset === 'imdb' ? locateImdb(ctx.dataDir) : locateReuters(ctx.dataDir);
  const label = exp.dataset === 'imdb' ? 'reading IMDB' : 'reading Reuters';
  const stage = await runStage({
    runDir: ctx.runDir,
    name: 'corpus',
    kind: 'corpus',
    inputs: { stage: 'corpus', dataset: exp.dataset, format: source.format, file: fileIdentity(source.path), reader: 1 },
    build: async () => {
      let task: ReturnType<RunContext['progress']['task']> | undefined;
      const onProgress = (p: ReadProgress) => {
        task ??= ctx.progress.task(label, Math.round(p.totalBytes / 1e6), 'MB');
        task.update(Math.round(p.bytesRead / 1e6), `${p.records} records`);
      };
      let table: Table;
      if (source.format === 'embedded-json') {
        table = await readReutersJson(source.path, { onProgress });
      } else if (exp.dataset === 'imdb') {
        table = await readImdb(source.path, { onProgress });
      } else {
        table = await readReuters(source.path, { variant: 'keras46', onProgress });
      }
      task?.finish(`${table.numRows} records`);
      return table;
    },
  });
  reportStage(ctx, 'corpus', stage, source.description);
  return stage;
}

/** Tokenizes in chunks so a bar can follow it. */
function toSequences(ctx: RunContext, tokenizer: Tokenizer, all: string[], label: string): number[][] {
  const task = ctx.progress.task(label, all.length, 'texts');
  const out: number[][] = [];
  for (let i = 0; i < all.length; i += 2000) {
    out.push(...tokenizer.textsToSequences(all.slice(i, i + 2000)));
    task.update(Math.min(i + 2000, all.length));
  }
  task.finish();
  return out;
}

export async function prepareText(ctx: RunContext, exp: Experiment, cfg: TextConfig): Promise<PreparedRun> {
  const corpus = await corpusStage(ctx, exp);
  const labelNames = metaJson<string[]>(corpus.table, META.labels);
  const oneHot = exp.model === 'oneHot';
  const validationSamples = cfg.validationSamples ?? 0;

  // Rows: the training sample (and a fixed validation set after it), then the test sample.
  const trainRows = splitRows(
    corpus.table,
    'train',
    ctx.seed,
    cfg.trainSamples === undefined ? undefined : cfg.trainSamples + validationSamples,
  );
  const testRows = splitRows(corpus.table, 'test', ctx.seed + 1, cfg.testSamples);
  const counts: RowCounts = { train: trainRows.length - validationSamples, validation: validationSamples, test: testRows.length };

  let tokenizer: Tokenizer | undefined;
  const seqStage = await runStage({
    runDir: ctx.runDir,
    name: oneHot ? 'vectors' : 'sequences',
    kind: oneHot ? 'vectors' : 'sequences',
    inputs: {
      stage: oneHot ? 'hashed-vectors' : 'sequences',
      corpus: corpus.key,
      seed: ctx.seed,
      counts,
      maxWords: cfg.maxWords,
      maxlen: cfg.maxlen,
      truncating: cfg.truncating,
      hashDim: cfg.hashDim,
    },
    build: async () => {
      const selected = takeRows(corpus.table, [...trainRows, ...testRows]);
      const selectedTexts = texts(selected);
      const label = labelsOf(selected);
      const metadata = { [ROWS_META]: JSON.stringify(counts) };
      if (oneHot) {
        // Listing 6.4: each word hashed into one of hashDim buckets; a review is the set of its buckets.
        const dim = cfg.hashDim ?? 1000;
        const x = new Float32Array(selected.numRows * dim);
        const task = ctx.progress.task('hashing words', selectedTexts.length, 'texts');
        selectedTexts.forEach((text, row) => {
          for (const j of hashingTrick(text, dim)) x[row * dim + (j - 1)] = 1;
          if (row % 1000 === 0) task.update(row);
        });
        task.finish();
        return vectorsTable({ x, dim, label }, { description: `hashed multi-hot words, ${dim} buckets (murmur3)`, metadata });
      }
      // Listing 6.9: the tokenizer is fitted on every training review, whatever sample is kept.
      const allTrain = texts(takeRows(corpus.table, splitRows(corpus.table, 'train', ctx.seed)));
      const fitTask = ctx.progress.task('fitting tokenizer', allTrain.length, 'texts');
      tokenizer = new Tokenizer({ numWords: cfg.maxWords });
      await tokenizer.fitOnTextsAsync(allTrain, { onProgress: (n) => fitTask.update(n) });
      fitTask.finish(`${tokenizer.wordIndex.size} distinct words`);
      const sequences = toSequences(ctx, tokenizer, selectedTexts, 'tokenizing');
      const padded = padSequences(sequences, { maxlen: cfg.maxlen, truncating: cfg.truncating });
      return paddedSequencesTable({ tokens: padded.values, maxlen: cfg.maxlen, label }, { tokenizer: tokenizer.toJSON(), metadata });
    },
  });
  reportStage(
    ctx,
    oneHot ? 'vectors' : 'sequences',
    seqStage,
    oneHot ? `${cfg.hashDim} hashed buckets` : `maxlen ${cfg.maxlen}, ${cfg.maxWords} words`,
  );
  if (!oneHot) tokenizer ??= Tokenizer.fromJSON(metaJson<object>(seqStage.table, META.tokenizer));

  const rows = metaJson<RowCounts>(seqStage.table, ROWS_META);
  const range = (start: number, n: number) =>
    takeRows(
      seqStage.table,
      Array.from({ length: n }, (_, i) => start + i),
    );
  const trainTable = range(0, rows.train);
  const valTable = rows.validation > 0 ? range(rows.train, rows.validation) : undefined;
  const testTable = range(rows.train + rows.validation, rows.test);
  let upstream = seqStage.key;

  // Listings 6.10–6.11: the GloVe matrix for the tokenizer's words, as a vectors stage of its own.
  let matrix: Float32Array | undefined;
  if (exp.id === 'imdb-glove-frozen') {
    const glovePath = locateGlove(ctx.dataDir);
    const vecStage = await runStage({
      runDir: ctx.runDir,
      name: 'vectors',
      kind: 'vectors',
      inputs: { stage: 'glove-matrix', sequences: seqStage.key, glove: fileIdentity(glovePath), maxWords: cfg.maxWords },
      build: async () => {
        let task: ReturnType<RunContext['progress']['task']> | undefined;
        const vectors = await readWordVectors(glovePath, {
          onProgress: (p) => {
            task ??= ctx.progress.task('reading GloVe', Math.max(1, Math.round(p.totalBytes / 1e6)), 'MB');
            task.update(Math.round(p.bytesRead / 1e6), `${p.words} words`);
          },
        });
        task?.finish();
        const m = embeddingMatrix(vectors, tokenizer!.wordIndex, { maxWords: cfg.maxWords });
        return vectorsTable(
          { x: m.matrix, dim: m.dim },
          { description: `GloVe rows for the tokenizer's ${cfg.maxWords} words (${m.found} found, ${m.missing} missing)` },
        );
      },
    });
    reportStage(ctx, 'vectors', vecStage, 'GloVe embedding matrix');
    matrix = Float32Array.from(columnValues(vecStage.table, 'x').values as Float32Array);
    upstream = vecStage.key;
  }

  const numClasses = exp.dataset === 'reuters' ? labelNames.length : 2;
  const common = { maxWords: cfg.maxWords, maxlen: cfg.maxlen, seed: ctx.seed };
  const rec = { ...common, ...(cfg.recurrentImpl ? { recurrentImpl: cfg.recurrentImpl } : {}) };
  const buildModel = (): tfjs.LayersModel => {
    switch (exp.model) {
      case 'oneHot': {
        const { tf } = ctx.backend;
        const model = tf.sequential({
          layers: [
            tf.layers.dense({
              units: 16,
              activation: 'relu',
              inputShape: [cfg.hashDim ?? 1000],
              kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }),
            }),
            tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed + 1 }) }),
          ],
        });
        model.compile({ optimizer: tf.train.rmsprop(0.001, 0.9, 0, 1e-7), loss: 'binaryCrossentropy', metrics: ['acc'] });
        return model;
      }
      case 'embeddingFlatten':
        return embeddingFlatten(common);
      case 'pretrainedEmbeddingFlatten':
        return pretrainedEmbeddingFlatten({ ...common, embeddingDim: 100, ...(matrix === undefined ? {} : { embeddingMatrix: matrix }) });
      case 'simpleRnn':
        return simpleRnn(rec);
      case 'lstm':
        return lstm(rec);
      case 'gru':
        return gru(rec);
      case 'bidirectionalLstm':
        return bidirectionalLstm(rec);
      case 'conv1dText':
        return conv1dText({ ...common, ...(cfg.learningRate ? { learningRate: cfg.learningRate } : {}) });
      case 'reutersSimpleRnn':
        return reutersSimpleRnn({ ...rec, numClasses });
      case 'reutersLstm':
        return reutersLstm({ ...rec, numClasses });
      case 'reutersBidirectionalLstm':
        return reutersBidirectionalLstm({ ...rec, numClasses });
      default:
        throw new Error(`no builder for model ${exp.model}`);
    }
  };

  // Validation rows come from the training rows only; the test rows are read once, at the end.
  const validation = cfg.validationSplit > 0 ? undefined : valTable;
  const bundleConfig: BundleConfig = oneHot
    ? { task: 'other', input: `hashed multi-hot words, ${cfg.hashDim} buckets`, labels: labelNames }
    : { task: 'text', maxlen: cfg.maxlen, padding: 'pre', truncating: cfg.truncating, labels: labelNames };

  return {
    upstreamKey: upstream,
    buildModel,
    data: trainTable,
    trainOptions: {
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      ...(cfg.validationSplit > 0 ? { validationSplit: cfg.validationSplit } : validation ? { validation } : {}),
    },
    ...(tokenizer === undefined ? {} : { tokenizer }),
    bundleConfig,
    describe: `${trainTable.numRows} training rows${valTable ? `, ${valTable.numRows} validation rows` : cfg.validationSplit > 0 ? ` (last ${cfg.validationSplit * 100}% held out for validation)` : ''}, ${testTable.numRows} test rows`,
    async finish(model, history) {
      const test = await evaluate(model!, testTable, { batchSize: 256 });
      const val = history.history.val_acc ?? [];
      const value = exp.metric === 'test_acc' ? test.acc : val[val.length - 1];
      const notes = [`test accuracy on ${testTable.numRows} test rows: ${test.acc.toFixed(4)}`];
      if (val.length > 0)
        notes.push(`best validation accuracy: ${Math.max(...val).toFixed(4)} (epoch ${val.indexOf(Math.max(...val)) + 1})`);
      if (exp.dataset === 'reuters') {
        const labels = labelsOf(testTable);
        const counts = new Map<number, number>();
        for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
        return { value, notes, baseline: { name: 'most frequent topic', value: Math.max(...counts.values()) / labels.length } };
      }
      return { value, notes };
    },
  };
}
