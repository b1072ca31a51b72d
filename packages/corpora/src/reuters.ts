import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { corpusTable, shuffledIndices } from '@seqlearn/dataset';
import { type ProgressCallback, readTarGz } from './archive.js';
import { CorporaOptionError, LayoutError } from './errors.js';
import { int32ListData, utf8Data, withColumns } from './extra-columns.js';
import { KERAS_REUTERS_TOPICS } from './keras-reuters-topics.js';
import { parseReutersSgml, type ReutersDocument } from './reuters-sgml.js';

const SGML_FILE = /^reut2-\d{3}\.sgm$/;

/** The label given to documents without any topic (only in `modapte` and `all`). */
export const NO_TOPIC_LABEL = '(none)';

export interface ReutersSourceOptions {
  /** Called after each SGML file with the bytes read so far and the documents parsed. */
  onProgress?: ProgressCallback;
}

/**
 * Every document of Reuters-21578, in file then document order, from `reuters21578.tar.gz`
 * (read without extracting), a folder of `reut2-NNN.sgm` files, or one `.sgm` file.
 * The files are Latin-1; entities are decoded and control characters removed.
 */
export async function reutersDocuments(source: string, options: ReutersSourceOptions = {}): Promise<ReutersDocument[]> {
  const info = await stat(source).catch(() => {
    throw new LayoutError(
      { file: source },
      'does not exist; expected reuters21578.tar.gz, a folder of reut2-NNN.sgm files or one .sgm file',
    );
  });
  const files: { name: string; data: Buffer }[] = [];
  let progress = { read: 0, total: 0 };
  if (info.isDirectory()) {
    const names = (await readdir(source)).filter((n) => SGML_FILE.test(n)).sort();
    for (const name of names) {
      const data = await readFile(join(source, name));
      progress = { read: progress.read + data.length, total: 0 };
      files.push({ name: join(source, name), data });
    }
    progress.total = progress.read;
  } else if (/\.sgml?$/i.test(source)) {
    const data = await readFile(source);
    files.push({ name: source, data });
    progress = { read: data.length, total: data.length };
  } else {
    const select = (name: string): boolean => SGML_FILE.test(basename(name));
    for await (const member of readTarGz(source, { select, onMember: (read, total) => (progress = { read, total }) })) {
      files.push({ name: `${source}:${member.name}`, data: member.data });
    }
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  if (files.length === 0) throw new LayoutError({ file: source }, 'holds no reut2-NNN.sgm files');
  const documents: ReutersDocument[] = [];
  let bytes = 0;
  for (const file of files) {
    // Latin-1 proper (Buffer's 'latin1'), not TextDecoder's windows-1252 alias.
    documents.push(...parseReutersSgml(file.data.toString('latin1'), file.name));
    bytes += file.data.length;
    options.onProgress?.({ bytesRead: info.isDirectory() ? bytes : progress.read, totalBytes: progress.total, records: documents.length });
  }
  return documents;
}

export type ReutersVariant = 'modapte' | 'keras46' | 'all';

export interface ReutersOptions extends ReutersSourceOptions {
  /**
   * - `modapte` (default): LEWISSPLIT TRAIN/TEST with TOPICS="YES" — 9,603 / 3,299 documents,
   *   as Reuters-21578's README defines it (some of them have no topic).
   * - `keras46`: the documents of Keras's `reuters` data set, labelled over its 46 topics.
   * - `all`: all 21,578 documents; `split` is LEWISSPLIT lower-cased (train, test, not-used).
   */
  variant?: ReutersVariant;
  /** `modapte` / `all`: keep only documents with at least one topic (7,775 / 3,019 for ModApte). */
  requireTopics?: boolean;
  /**
   * `keras46`: which topic labels a document. `first` (default) is what Keras did: the first
   * listed topic of any document that has topics. `single`: only documents with exactly one topic.
   */
  topicRule?: 'first' | 'single';
  /**
   * `keras46`: `keras` (default) shuffles with `seed` and puts the first ⌊n·(1−testSplit)⌋ rows in
   * train, as Keras's `load_data`; `modapte` uses LEWISSPLIT TRAIN/TEST with TOPICS="YES".
   */
  split?: 'keras' | 'modapte';
  /** Default 0.2, Keras's `test_split`. */
  testSplit?: number;
  /** Default 113, Keras's `seed` (our shuffle is seeded, but is not numpy's permutation). */
  seed?: number;
}

interface Selection {
  docs: ReutersDocument[];
  split: string[];
  labels: string[];
  label: number[];
  rule: string;
}

function isModApte(d: ReutersDocument): boolean {
  return d.hasTopics === 'YES' && (d.lewisSplit === 'TRAIN' || d.lewisSplit === 'TEST');
}

function topicLabels(docs: ReutersDocument[]): { labels: string[]; label: number[] } {
  const labels = [...new Set(docs.flatMap((d) => d.topics))].sort();
  if (docs.some((d) => d.topics.length === 0)) labels.push(NO_TOPIC_LABEL);
  const index = new Map(labels.map((l, i) => [l, i]));
  return { labels, label: docs.map((d) => index.get(d.topics[0] ?? NO_TOPIC_LABEL)!) };
}

function selectModApte(all: readonly ReutersDocument[], requireTopics: boolean): Selection {
  const docs = all.filter((d) => isModApte(d) && (!requireTopics || d.topics.length > 0));
  return {
    docs,
    split: docs.map((d) => d.lewisSplit.toLowerCase()),
    ...topicLabels(docs),
    rule: `ModApte: TOPICS="YES" and LEWISSPLIT TRAIN/TEST${requireTopics ? ', at least one topic' : ''}`,
  };
}

function selectAll(all: readonly ReutersDocument[], requireTopics: boolean): Selection {
  const docs = all.filter((d) => !requireTopics || d.topics.length > 0);
  return {
    docs,
    split: docs.map((d) => d.lewisSplit.toLowerCase()),
    ...topicLabels(docs),
    rule: `all documents${requireTopics ? ' with at least one topic' : ''}`,
  };
}

function selectKeras46(all: readonly ReutersDocument[], options: ReutersOptions): Selection {
  const topicRule = options.topicRule ?? 'first';
  const splitRule = options.split ?? 'keras';
  const testSplit = options.testSplit ?? 0.2;
  if (!(testSplit >= 0 && testSplit <= 1)) throw new CorporaOptionError(`testSplit is ${testSplit}; expected a fraction between 0 and 1`);
  const index = new Map(KERAS_REUTERS_TOPICS.map((t, i) => [t, i]));
  const docs = all.filter(
    (d) =>
      (topicRule === 'first' ? d.topics.length > 0 : d.topics.length === 1) &&
      index.has(d.topics[0]) &&
      (splitRule === 'keras' || isModApte(d)),
  );
  let split: string[];
  if (splitRule === 'keras') {
    const nTrain = Math.floor(docs.length * (1 - testSplit));
    split = new Array<string>(docs.length);
    const order = shuffledIndices(docs.length, options.seed ?? 113);
    order.forEach((row, rank) => (split[row] = rank < nTrain ? 'train' : 'test'));
  } else {
    split = docs.map((d) => d.lewisSplit.toLowerCase());
  }
  const rule =
    `keras46: documents whose ${topicRule === 'first' ? 'first listed topic' : 'only topic'} is one of Keras's 46 reuters topics; ` +
    (splitRule === 'keras' ? `seeded shuffle (seed ${options.seed ?? 113}), first ${(1 - testSplit) * 100}% train` : 'ModApte split');
  return { docs, split, labels: [...KERAS_REUTERS_TOPICS], label: docs.map((d) => index.get(d.topics[0])!), rule };
}

/**
 * Reads Reuters-21578 into a corpus table: `text` (TITLE + BODY), `label` (the first topic),
 * `id` (NEWID), `split`, plus `topics: List<Int32>` (every topic, as indices into the labels),
 * `lewisSplit` and `cgiSplit`. The label names are in the `seqlearn.labels` metadata.
 */
export async function readReuters(source: string, options: ReutersOptions = {}): Promise<Table> {
  checkOptions(options);
  return reutersTable(await reutersDocuments(source, options), { ...options, source });
}

function checkOptions(options: ReutersOptions): void {
  const variant = options.variant ?? 'modapte';
  if (variant !== 'modapte' && variant !== 'keras46' && variant !== 'all') {
    throw new CorporaOptionError(`Reuters variant "${String(variant)}" does not exist; expected modapte, keras46 or all`);
  }
  if (variant !== 'keras46' && (options.topicRule !== undefined || options.split !== undefined)) {
    throw new CorporaOptionError(`topicRule and split apply to the keras46 variant, not "${variant}"`);
  }
}

/** The corpus table of `readReuters` from documents already parsed (parse once, cut several ways). */
export function reutersTable(all: readonly ReutersDocument[], options: ReutersOptions & { source?: string } = {}): Table {
  checkOptions(options);
  const variant = options.variant ?? 'modapte';
  const selection =
    variant === 'modapte'
      ? selectModApte(all, options.requireTopics ?? false)
      : variant === 'all'
        ? selectAll(all, options.requireTopics ?? false)
        : selectKeras46(all, options);
  const labelIndex = new Map(selection.labels.map((l, i) => [l, i]));
  const counts: Record<string, number> = {};
  for (const s of selection.split) counts[s] = (counts[s] ?? 0) + 1;
  const table = corpusTable(
    {
      text: selection.docs.map((d) => d.text),
      label: Int32Array.from(selection.label),
      id: selection.docs.map((d) => String(d.newId)),
      split: selection.split,
    },
    {
      labels: selection.labels,
      source: options.source ?? 'reuters21578',
      metadata: {
        'seqlearn.corpus': 'reuters21578',
        'seqlearn.reuters': JSON.stringify({ variant, rule: selection.rule, counts }),
      },
    },
  );
  return withColumns(table, [
    {
      name: 'topics',
      data: int32ListData(selection.docs.map((d) => d.topics.flatMap((t) => (labelIndex.has(t) ? [labelIndex.get(t)!] : [])))),
    },
    { name: 'lewisSplit', data: utf8Data(selection.docs.map((d) => d.lewisSplit)) },
    { name: 'cgiSplit', data: utf8Data(selection.docs.map((d) => d.cgiSplit)) },
  ]);
}
