import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { KERAS_REUTERS_TOPICS, imdbReviews, readReuters } from '@seqlearn/corpora';
import type { Table } from 'apache-arrow';

/**
 * Users' own data, made from the real data sets: IMDB reviews as a class-folder tree, a CSV
 * with other column names and JSON Lines; Reuters wires as a multi-class CSV; the PRSA
 * series as a generic CSV with an ISO time column and renamed columns.
 */
export interface OwnData {
  imdbFolder: string;
  imdbCsv: string;
  imdbJsonl: string;
  reutersCsv: string;
  prsaCsv: string;
}

export async function writeImdb(
  dir: string,
  archive: string,
  perClass: number,
): Promise<Pick<OwnData, 'imdbFolder' | 'imdbCsv' | 'imdbJsonl'>> {
  const taken: Record<string, { id: number; text: string }[]> = { neg: [], pos: [] };
  for await (const review of imdbReviews(archive, { splits: ['train'] })) {
    const name = review.label === 1 ? 'pos' : 'neg';
    if (taken[name].length < perClass) taken[name].push({ id: review.id, text: review.text });
    if (taken.neg.length >= perClass && taken.pos.length >= perClass) break;
  }
  const folder = join(dir, 'reviews');
  for (const [name, rows] of Object.entries(taken)) {
    mkdirSync(join(folder, name), { recursive: true });
    for (const r of rows) writeFileSync(join(folder, name, `${r.id}.txt`), r.text);
  }
  // Interleaved, as a spreadsheet export would be, not grouped by class.
  const rows = taken.neg.flatMap((r, i) => [
    { text: r.text, label: 'neg' },
    { text: taken.pos[i].text, label: 'pos' },
  ]);
  const csv = join(dir, 'reviews.csv');
  writeFileSync(csv, stringify([['review', 'sentiment'], ...rows.map((r) => [r.text, r.label])]));
  const jsonl = join(dir, 'reviews.jsonl');
  writeFileSync(jsonl, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { imdbFolder: folder, imdbCsv: csv, imdbJsonl: jsonl };
}

export async function writeReutersCsv(dir: string, archive: string): Promise<string> {
  const table: Table = await readReuters(archive, { variant: 'keras46' });
  const texts = table.getChild('text')!.toArray() as string[];
  const labels = table.getChild('label')!.toArray() as Int32Array;
  const path = join(dir, 'newswires.csv');
  writeFileSync(path, stringify([['body', 'topic'], ...texts.map((t, i) => [t, KERAS_REUTERS_TOPICS[labels[i]]])]));
  return path;
}

const PRSA_RENAMED: Record<string, string> = {
  'pm2.5': 'pm25',
  DEWP: 'dew_point',
  TEMP: 'temperature',
  PRES: 'pressure',
  cbwd: 'wind_dir',
  Iws: 'wind_speed',
  Is: 'snow_hours',
  Ir: 'rain_hours',
};

/** PRSA with one ISO time column (`2010-01-01T00:00`) instead of year/month/day/hour, and renamed columns. */
export function writePrsaCsv(dir: string, original: string, rows?: number): string {
  const records = parse(readFileSync(original, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const pad = (n: string) => n.padStart(2, '0');
  const out = (rows === undefined ? records : records.slice(0, rows)).map((r) => [
    `${r.year}-${pad(r.month)}-${pad(r.day)}T${pad(r.hour)}:00`,
    ...Object.keys(PRSA_RENAMED).map((k) => r[k]),
  ]);
  const path = join(dir, 'beijing.csv');
  writeFileSync(path, stringify([['timestamp', ...Object.values(PRSA_RENAMED)], ...out]));
  return path;
}
