import { readJsonMeta, META, columnValues } from '@seqlearn/dataset';
import { sharedDataPath } from '@seqlearn/vitest-preset/shared';
import { imdbReviews, type ImdbReview, readReuters } from '../src/index.js';

/** The first `perLabel` reviews of each label in the tarball's order (real IMDB reviews). */
export async function imdbSample(perLabel: number): Promise<ImdbReview[]> {
  const byLabel: ImdbReview[][] = [[], []];
  for await (const review of imdbReviews(sharedDataPath('aclImdb_v1_labelled.tar.gz'), { splits: ['train'] })) {
    if (byLabel[review.label].length < perLabel) byLabel[review.label].push(review);
    if (byLabel[0].length === perLabel && byLabel[1].length === perLabel) break;
  }
  return [...byLabel[0], ...byLabel[1]];
}

export interface Wire {
  text: string;
  topic: string;
  id: string;
}

/** The first `count` wires of Keras's 46-topic Reuters (real Reuters-21578 texts and first topics). */
export async function reutersSample(count: number): Promise<Wire[]> {
  const table = await readReuters(sharedDataPath('reuters21578.tar.gz'), { variant: 'keras46' });
  const labels = readJsonMeta<string[]>(table, META.labels)!;
  const label = columnValues(table, 'label').values;
  const text = table.getChild('text')!;
  const id = table.getChild('id')!;
  return Array.from({ length: Math.min(count, table.numRows) }, (_, i) => ({
    text: String(text.get(i)),
    topic: labels[label[i]],
    id: String(id.get(i)),
  }));
}

/** One CSV field, quoted when it must be (RFC 4180). */
export function csvField(value: string | number | boolean, delimiter = ','): string {
  const text = String(value);
  return text.includes('"') || text.includes(delimiter) || /[\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLines(rows: (string | number | boolean)[][], delimiter = ',', eol = '\n'): string {
  return rows.map((row) => row.map((v) => csvField(v, delimiter)).join(delimiter)).join(eol) + eol;
}

/** The text column of a table as strings. */
export function texts(table: { getChild(name: string): { toArray(): ArrayLike<unknown> } | null }): string[] {
  return Array.from(table.getChild('text')!.toArray(), String);
}
