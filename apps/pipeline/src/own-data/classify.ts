import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { DatasetError, META, paddedSequencesTable, shuffledIndices, stratifiedHoldout, takeRows } from '@seqlearn/dataset';
import { predict, summaryLines } from '@seqlearn/models';
import { Tokenizer, padSequences } from '@seqlearn/text';
import { TokenizerPool } from '@seqlearn/text/node';
import { UserError } from '../errors.js';
import type { RunContext } from '../pipeline/context.js';
import { reportStage } from '../pipeline/stages-log.js';
import { hashInputs, runStage } from '../stages/stage-cache.js';
import { writeCsv } from './held-out.js';
import { macroF1 } from './macro-f1.js';
import { inputIdentity, readCorpus, type ColumnFlags } from './input.js';
import type { TrainResults } from './results.js';
import { fitWithEarlyStopping, reuseModelStage, writeRunOutputs, type TrainOutcome } from './run-output.js';
import { classCounts, describeCorpus, labelColumn, labelNames, percentile, textColumn } from './summary.js';
import { DEFAULT_MODEL, classifierModel } from './task-models.js';

export interface ClassifyOptions {
  data: string;
  columns: ColumnFlags;
  model?: string;
  maxWords?: number;
  maxlen?: number;
  epochs?: number;
  batchSize?: number;
  testSplit: number;
  validationSplit: number;
  /** 'balanced': each class's loss weighted by n / (classes · its count), as scikit-learn computes it. */
  classWeight?: 'balanced';
}

/** The book's vocabulary (listing 6.9) and the longest sequence it pads to. */
const DEFAULT_MAX_WORDS = 10_000;
const MAXLEN_CAP = 500;
/**
 * From this many texts on, the tokenizer fits and converts on worker threads (one per core).
 * Below it, starting the workers and copying the texts to them costs more than it saves: 20,000
 * IMDB-sized reviews take about half a second on one thread.
 */
export const PARALLEL_TOKENIZER_ROWS = 20_000;

/** `SEQLEARN_PARALLEL_TOKENIZER_ROWS` moves the threshold (0: always on threads). */
function parallelTokenizerRows(): number {
  const value = Number(process.env['SEQLEARN_PARALLEL_TOKENIZER_ROWS']);
  return process.env['SEQLEARN_PARALLEL_TOKENIZER_ROWS'] !== undefined && Number.isInteger(value) && value >= 0
    ? value
    : PARALLEL_TOKENIZER_ROWS;
}
const DEFAULT_EPOCHS = 10;
/** conv1dText's two Conv1D(7) around a MaxPooling1D(5) need 7 × 5 + 6 steps. */
const CONV1D_MIN_MAXLEN = 41;

const ROWS_META = 'seqlearn.rows';
const TEST_ROWS_META = 'seqlearn.testRows';

interface SplitRows {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/** Refuses what cannot be split or learned, naming the class and the row. */
function checkClasses(corpus: Table, data: string): void {
  const names = labelNames(corpus);
  const labels = labelColumn(corpus);
  const counts = classCounts(labels, names.length);
  const present = counts.filter((c) => c > 0).length;
  if (present < 2)
    throw new UserError(
      `${data}: found ${present} class${present === 1 ? ` ("${names[counts.findIndex((c) => c > 0)]}")` : 'es'}; a classifier needs at least two`,
    );
  const single = counts.findIndex((c) => c === 1);
  if (single >= 0) {
    const row = labels.indexOf(single);
    const id = corpus.getChild('id')?.get(row) as string | undefined;
    throw new UserError(
      `${data}: class "${names[single]}" has a single example (${id ?? `row ${row + 1}`}); every class needs at least 2, one to train on and one to test`,
    );
  }
}

/**
 * Test rows first, held out per class before anything is fitted; validation rows then come
 * from what is left, so the best epoch is never chosen on the test rows.
 */
function splitRows(labels: Int32Array, testSplit: number, validationSplit: number, seed: number): SplitRows {
  const { kept, heldOut } = stratifiedHoldout(labels, testSplit, seed);
  const keptLabels = Int32Array.from(kept, (r) => labels[r]);
  let trainAt: Int32Array;
  let validationAt: Int32Array;
  try {
    ({ kept: trainAt, heldOut: validationAt } = stratifiedHoldout(keptLabels, validationSplit, seed + 1));
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    // A class with one training row cannot be on both sides: draw the validation rows at random.
    const order = shuffledIndices(kept.length, seed + 1);
    const n = Math.max(1, Math.round(kept.length * validationSplit));
    validationAt = order.slice(0, n).sort();
    trainAt = order.slice(n).sort();
  }
  return { train: Int32Array.from(trainAt, (i) => kept[i]), validation: Int32Array.from(validationAt, (i) => kept[i]), test: heldOut };
}

export async function trainClassifier(ctx: RunContext, opts: ClassifyOptions): Promise<TrainOutcome> {
  const started = performance.now();
  const modelName = opts.model ?? DEFAULT_MODEL.classify;
  const spec = classifierModel(modelName);
  const textCol = opts.columns.textColumn ?? 'text';
  const labelCol = opts.columns.labelColumn ?? 'label';

  const corpus = await runStage({
    runDir: ctx.runDir,
    name: 'corpus',
    kind: 'corpus',
    inputs: { stage: 'corpus', input: inputIdentity(opts.data), textColumn: textCol, labelColumn: labelCol, reader: 1 },
    build: () => readCorpus(opts.data, opts.columns, ctx.progress),
  });
  reportStage(ctx, 'corpus', corpus, basename(opts.data));
  for (const line of describeCorpus(corpus.table, opts.data)) ctx.say(line);
  checkClasses(corpus.table, opts.data);
  const names = labelNames(corpus.table);

  let tokenizer: Tokenizer | undefined;
  const sequences = await runStage({
    runDir: ctx.runDir,
    name: 'sequences',
    kind: 'sequences',
    inputs: {
      stage: 'sequences',
      corpus: corpus.key,
      seed: ctx.seed,
      testSplit: opts.testSplit,
      validationSplit: opts.validationSplit,
      maxWords: opts.maxWords,
      maxlen: opts.maxlen,
      conv: spec.builder === 'conv1dText',
    },
    build: async () => {
      const labels = labelColumn(corpus.table);
      const rows = splitRows(labels, opts.testSplit, opts.validationSplit, ctx.seed);
      const texts = textColumn(corpus.table);
      const pick = (at: Int32Array) => Array.from(at, (r) => texts[r]);
      const fitTexts = [...pick(rows.train), ...pick(rows.validation)];
      // Fitted on the training rows only: the test rows' words stay unseen, as they would be in use.
      const fitTask = ctx.progress.task('fitting tokenizer', fitTexts.length, 'texts');
      const fitted = new Tokenizer({ numWords: opts.maxWords ?? DEFAULT_MAX_WORDS });
      const order = Int32Array.from([...rows.train, ...rows.validation, ...rows.test]);
      const threads = availableParallelism();
      let seqs: number[][];
      if (fitTexts.length >= parallelTokenizerRows() && threads > 1) {
        const pool = new TokenizerPool({ threads });
        try {
          await pool.fitOnTexts(fitted, fitTexts);
          fitTask.finish(`${fitted.wordIndex.size} distinct words (${threads} threads)`);
          seqs = await pool.textsToSequences(fitted, pick(order));
        } finally {
          await pool.close();
        }
      } else {
        await fitted.fitOnTextsAsync(fitTexts, { onProgress: (n) => fitTask.update(n) });
        fitTask.finish(`${fitted.wordIndex.size} distinct words`);
        seqs = fitted.textsToSequences(pick(order));
      }
      const trainLengths = Float64Array.from(seqs.slice(0, rows.train.length), (s) => s.length).sort();
      const p95 = percentile(trainLengths, 95);
      let maxlen = opts.maxlen ?? Math.max(1, Math.min(MAXLEN_CAP, p95));
      if (opts.maxlen === undefined && spec.builder === 'conv1dText') maxlen = Math.max(maxlen, CONV1D_MIN_MAXLEN);
      const padded = padSequences(seqs, { maxlen });
      tokenizer = fitted;
      return paddedSequencesTable(
        { tokens: padded.values, maxlen, label: Int32Array.from(order, (r) => labels[r]) },
        {
          tokenizer: fitted.toJSON(),
          metadata: {
            [ROWS_META]: JSON.stringify({ train: rows.train.length, validation: rows.validation.length, test: rows.test.length, p95 }),
            [TEST_ROWS_META]: JSON.stringify(Array.from(rows.test)),
          },
        },
      );
    },
  });
  const counts = JSON.parse(sequences.table.schema.metadata.get(ROWS_META)!) as {
    train: number;
    validation: number;
    test: number;
    p95: number;
  };
  const maxlen = (sequences.table.getChild('tokens')!.type as { listSize: number }).listSize;
  tokenizer ??= Tokenizer.fromJSON(sequences.table.schema.metadata.get(META.tokenizer)!);
  const numWords = Math.min(opts.maxWords ?? DEFAULT_MAX_WORDS, tokenizer.wordIndex.size + 1);
  const maxlenWhy =
    opts.maxlen !== undefined
      ? 'from --maxlen'
      : `95th percentile of the training texts ${counts.p95}${counts.p95 > MAXLEN_CAP ? `, capped at ${MAXLEN_CAP}` : ''}`;
  reportStage(ctx, 'sequences', sequences, `maxlen ${maxlen} (${maxlenWhy}), ${numWords} words`);
  ctx.say(
    `split: ${counts.train} training, ${counts.validation} validation, ${counts.test} test rows (held out per class before fitting; seed ${ctx.seed})`,
  );

  const epochs = opts.epochs ?? DEFAULT_EPOCHS;
  // Small data needs the updates of small batches (Reuters' 7,000 wires: 0.68 at 32 against 0.59 at 128).
  const batchSize = opts.batchSize ?? (counts.train < 10_000 ? 32 : 128);
  const key = hashInputs({
    stage: 'model',
    upstream: sequences.key,
    model: spec.builder,
    epochs,
    batchSize,
    seed: ctx.seed,
    ...(opts.classWeight === undefined ? {} : { classWeight: opts.classWeight }),
  });
  const reused = await reuseModelStage(ctx, key);
  if (reused) return reused;

  const range = (start: number, n: number) =>
    takeRows(
      sequences.table,
      Array.from({ length: n }, (_, i) => start + i),
    );
  const trainTable = range(0, counts.train);
  const validationTable = range(counts.train, counts.validation);
  const testTable = range(counts.train + counts.validation, counts.test);
  const model = spec.build({ numWords, maxlen, numClasses: names.length, seed: ctx.seed });
  ctx.say(
    `model: ${modelName} (${spec.builder}), ${model.countParams().toLocaleString('en-US')} parameters, up to ${epochs} epochs of batch ${batchSize}${opts.classWeight === undefined ? '' : `, class weights '${opts.classWeight}'`}`,
  );
  for (const line of summaryLines(model)) ctx.say(line);
  const { history, bestEpoch } = await fitWithEarlyStopping(
    ctx,
    key,
    model,
    trainTable,
    { epochs, batchSize, validation: validationTable, ...(opts.classWeight === undefined ? {} : { classWeight: opts.classWeight }) },
    2,
  );

  // The test figures come from the same predictions `seqlearn predict` makes, so the two agree.
  const predicted = predictedLabels(await predict(model, testTable, { batchSize: 256 }));
  const truth = labelColumn(testTable);
  const confusion = names.map(() => new Array<number>(names.length).fill(0));
  let correct = 0;
  truth.forEach((t, i) => {
    confusion[t][predicted[i]]++;
    if (t === predicted[i]) correct++;
  });
  const trainCounts = classCounts(labelColumn(trainTable), names.length);
  const majority = trainCounts.indexOf(Math.max(...trainCounts));
  const accuracy = correct / truth.length;
  const baseline = truth.filter((t) => t === majority).length / truth.length;

  const testRows = JSON.parse(sequences.table.schema.metadata.get(TEST_ROWS_META)!) as number[];
  const texts = textColumn(corpus.table);
  writeCsv(
    join(ctx.runDir, 'test.csv'),
    [textCol, labelCol],
    testRows.map((r, i) => [texts[r], names[truth[i]]]),
  );

  const results: TrainResults = {
    kind: 'train',
    task: 'classify',
    title: `${basename(opts.data)}: ${names.length}-class text classification`,
    data: opts.data,
    model: modelName,
    builder: spec.builder,
    test: { accuracy, macroF1: macroF1(confusion) },
    baseline: { name: `majority class ("${names[majority]}")`, accuracy: baseline },
    rows: { train: counts.train, validation: counts.validation, test: counts.test },
    confusion: { labels: names, matrix: confusion },
    epochs: { run: history.epoch.length, best: bestEpoch },
    config: {
      maxWords: numWords,
      maxlen,
      epochs,
      batchSize,
      testSplit: opts.testSplit,
      validationSplit: opts.validationSplit,
      textColumn: textCol,
      labelColumn: labelCol,
      ...(opts.classWeight === undefined ? {} : { classWeight: opts.classWeight }),
    },
    seed: ctx.seed,
    backend: ctx.backend.name,
    seconds: (performance.now() - started) / 1000,
    notes: [
      `test accuracy ${accuracy.toFixed(4)} (macro F1 ${macroF1(confusion).toFixed(4)}) on ${truth.length} held-out rows; the majority class alone scores ${baseline.toFixed(4)}`,
      `held-out rows: ${join(ctx.runDir, 'test.csv')}`,
    ],
  };
  const outcome = await writeRunOutputs(ctx, {
    key,
    model,
    tokenizer,
    history,
    results,
    bundleConfig: {
      task: 'text',
      maxlen,
      padding: 'pre',
      truncating: 'pre',
      labels: names,
      textColumn: textCol,
      labelColumn: labelCol,
      majorityClass: majority,
    },
  });
  model.dispose();
  return outcome;
}

/** A sigmoid head's output is P(label 1); a softmax head's argmax is the label. */
export function predictedLabels(p: { values: Float32Array; shape: [number, number] }): Int32Array {
  const [rows, outputs] = p.shape;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (outputs === 1) out[r] = p.values[r] > 0.5 ? 1 : 0;
    else {
      let best = 0;
      for (let k = 1; k < outputs; k++) if (p.values[r * outputs + k] > p.values[r * outputs + best]) best = k;
      out[r] = best;
    }
  }
  return out;
}
