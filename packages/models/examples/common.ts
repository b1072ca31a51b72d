// Shared plumbing of the results scripts: where the real data is, turning a corpus table into
// padded sequences, and writing each run's result as JSON beside the scripts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImdb } from '@seqlearn/corpora';
import { columnValues, paddedSequencesTable, shuffleTable, takeRows } from '@seqlearn/dataset';
import { Tokenizer, padSequences } from '@seqlearn/text';
import type { Table } from 'apache-arrow';
import { progress, type TrainCallback } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
export const sharedData = process.env.SEQLEARN_SHARED_DIR
  ? join(process.env.SEQLEARN_SHARED_DIR, 'data')
  : resolve(here, '../../../../shared/data');
export const outDir = join(here, 'out');

export const IMDB = join(sharedData, 'aclImdb_v1_labelled.tar.gz');
export const REUTERS = join(sharedData, 'reuters21578.tar.gz');
export const GLOVE = join(sharedData, 'glove.6B.100d.top100k.txt.gz');
export const PRSA = join(sharedData, 'PRSA_data_2010.1.1-2014.12.31.csv');

/** The text column of a corpus table as strings. */
export function texts(table: Table): string[] {
  const col = table.getChild('text');
  if (col === null) throw new Error('corpus table has no text column');
  return col.toArray() as string[];
}

export function labels(table: Table): Int32Array {
  return Int32Array.from(columnValues(table, 'label').values as ArrayLike<number>);
}

/** Rows of a corpus table whose `split` column equals `split`. */
export function splitRows(table: Table, split: string): Table {
  const col = table.getChild('split')!;
  const rows: number[] = [];
  for (let i = 0; i < table.numRows; i++) if (col.get(i) === split) rows.push(i);
  return takeRows(table, rows);
}

/** Tokenize with a fitted tokenizer and pad to `maxlen` (Keras defaults: pre/pre) into a sequences table. */
export function toSequences(tokenizer: Tokenizer, corpus: Table, maxlen: number): Table {
  const padded = padSequences(tokenizer.textsToSequences(texts(corpus)), { maxlen });
  return paddedSequencesTable({ tokens: padded.values, maxlen, label: labels(corpus) }, { tokenizer: tokenizer.toJSON() });
}

/**
 * IMDB as the book's listings load it: the 25,000 training reviews shuffled with `seed`
 * (Keras's imdb.load_data shuffles them with seed 113; ours come sorted by label), a
 * tokenizer of the top `maxWords` fitted on them, and both splits padded to `maxlen`.
 */
export async function imdbSequences(opts: {
  maxWords: number;
  maxlen: number;
  seed: number;
}): Promise<{ trainSeq: Table; testSeq: Table }> {
  const corpus = await readImdb(IMDB);
  const trainCorpus = shuffleTable(splitRows(corpus, 'train'), opts.seed);
  const tokenizer = new Tokenizer({ numWords: opts.maxWords });
  tokenizer.fitOnTexts(texts(trainCorpus));
  return {
    trainSeq: toSequences(tokenizer, trainCorpus, opts.maxlen),
    testSeq: toSequences(tokenizer, splitRows(corpus, 'test'), opts.maxlen),
  };
}

/** Progress to stderr, one line per epoch (the library itself never prints). */
export function epochLog(name: string): TrainCallback {
  return progress((e) => {
    if (e.phase !== 'epoch') return;
    const m = Object.entries(e.metrics)
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join(' ');
    process.stderr.write(`[${name}] epoch ${e.epoch + 1}/${e.epochs} loss ${e.loss.toFixed(4)} ${m} (${e.elapsedSeconds.toFixed(0)} s)\n`);
  });
}

export function writeResult(name: string, result: Record<string, unknown>): void {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
