import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnValues, META, readJsonMeta, validateCorpus } from '@seqlearn/dataset';
import { hasShared, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import {
  CorporaOptionError,
  type DecodingReport,
  type ImdbReview,
  type ReadProgress,
  readTextTable,
  TableInputError,
  type TextTableOptions,
} from '../src/index.js';
import { tempDir, writeFixture } from './archive-fixtures.js';
import { csvLines, imdbSample, reutersSample, texts, type Wire } from './real-samples.js';

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const labelsOf = (table: Parameters<typeof validateCorpus>[0]): string[] => readJsonMeta<string[]>(table, META.labels)!;
const labelNames = (table: Parameters<typeof validateCorpus>[0]): string[] => {
  const names = labelsOf(table);
  return Array.from(columnValues(table, 'label').values, (v) => names[v]);
};

async function failure(promise: Promise<unknown>): Promise<TableInputError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TableInputError);
  expect((error as TableInputError).code).toBe('ERR_TABLE_INPUT');
  expect((error as TableInputError).message).not.toMatch(/\n/);
  return error as TableInputError;
}

describe.skipIf(!hasShared)('readTextTable on real IMDB reviews and Reuters wires', () => {
  if (!hasShared) console.warn(SKIP_WITHOUT_SHARED);
  let dir: string;
  let cleanup: () => Promise<void>;
  let reviews: ImdbReview[];
  /** The reviews as written: a few get line breaks, quotes, tabs and commas of their own. */
  let written: string[];
  let wires: Wire[];
  const sentiment = (r: ImdbReview): string => (r.label === 1 ? 'pos' : 'neg');

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('table'));
    reviews = await imdbSample(150);
    wires = await reutersSample(400);
    written = reviews.map((r, i) => (i % 10 === 0 ? `"${r.text}"\nSecond paragraph, with a comma;\ta tab.\r\nThird.` : r.text));
    expect(written.some((t) => t.includes(','))).toBe(true);
  });
  afterAll(() => cleanup());

  it('CSV (BOM, CRLF, quoted fields with line breaks): the same texts and string labels, sorted', async () => {
    const rows = [['id', 'text', 'label'], ...reviews.map((r, i) => [r.path, written[i], sentiment(r)])];
    const file = await writeFixture(dir, 'reviews.csv', `\uFEFF${csvLines(rows, ',', '\r\n')}`);
    const progress: ReadProgress[] = [];
    const table = await readTextTable(file, { idColumn: 'id', onProgress: (p) => progress.push(p) });
    validateCorpus(table);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['text', 'label', 'id']);
    expect(texts(table)).toEqual(written);
    expect(labelsOf(table)).toEqual(['neg', 'pos']);
    expect(labelNames(table)).toEqual(reviews.map(sentiment));
    expect(Array.from(table.getChild('id')!.toArray(), String)).toEqual(reviews.map((r) => r.path));
    expect(progress.at(-1)).toMatchObject({ records: reviews.length });
  });

  it('integer labels: 0/1 stay the ids; star ratings are sorted numerically, not as text', async () => {
    const zeroOne = await writeFixture(dir, 'zero-one.csv', csvLines([['text', 'label'], ...reviews.map((r, i) => [written[i], r.label])]));
    const t01 = await readTextTable(zeroOne);
    expect(labelsOf(t01)).toEqual(['0', '1']);
    expect([...columnValues(t01, 'label').values]).toEqual(reviews.map((r) => r.label));

    const stars = await writeFixture(dir, 'stars.csv', csvLines([['text', 'stars'], ...reviews.map((r, i) => [written[i], r.rating])]));
    const table = await readTextTable(stars, { labelColumn: 'stars' });
    const distinct = [...new Set(reviews.map((r) => r.rating))].sort((a, b) => a - b);
    expect(distinct).toContain(10);
    expect(labelsOf(table)).toEqual(distinct.map(String));
    expect(labelNames(table)).toEqual(reviews.map((r) => String(r.rating)));
  });

  it('TSV, with the text and label columns named', async () => {
    const rows = [['review', 'sentiment'], ...reviews.map((r, i) => [written[i], sentiment(r)])];
    const file = await writeFixture(dir, 'reviews.tsv', csvLines(rows, '\t'));
    const table = await readTextTable(file, { textColumn: 'review', labelColumn: 'sentiment' });
    expect(texts(table)).toEqual(written);
    expect(labelNames(table)).toEqual(reviews.map(sentiment));
    const tab = await writeFixture(dir, 'reviews.tab', csvLines(rows, '\t'));
    expect(texts(await readTextTable(tab, { textColumn: 'review', labelColumn: 'sentiment' }))).toEqual(written);
  });

  it('JSON: an array of objects; boolean labels; numeric ids', async () => {
    const objects = reviews.map((r, i) => ({ review: written[i], positive: r.label === 1, n: r.id, stars: r.rating }));
    const file = await writeFixture(dir, 'reviews.json', JSON.stringify(objects, null, 2));
    const table = await readTextTable(file, { textColumn: 'review', labelColumn: 'positive', idColumn: 'n' });
    expect(texts(table)).toEqual(written);
    expect(labelsOf(table)).toEqual(['false', 'true']);
    expect(labelNames(table)).toEqual(reviews.map((r) => String(r.label === 1)));
    expect(Array.from(table.getChild('id')!.toArray(), String)).toEqual(reviews.map((r) => String(r.id)));
    const stars = await readTextTable(file, { textColumn: 'review', labelColumn: 'stars' });
    expect(labelNames(stars)).toEqual(reviews.map((r) => String(r.rating)));
  });

  it('JSON Lines: Reuters wires with their topics (blank lines skipped); classNames fixes the order', async () => {
    const lines = wires.map((w) => JSON.stringify({ text: w.text, label: w.topic, id: w.id }));
    lines.splice(5, 0, '');
    const file = await writeFixture(dir, 'wires.jsonl', `${lines.join('\n')}\n`);
    const table = await readTextTable(file, { idColumn: 'id' });
    expect(texts(table)).toEqual(wires.map((w) => w.text));
    expect(labelsOf(table)).toEqual([...new Set(wires.map((w) => w.topic))].sort(byCodePoint));
    expect(labelNames(table)).toEqual(wires.map((w) => w.topic));
    const ndjson = await writeFixture(dir, 'wires.ndjson', `${lines.join('\n')}\n`);
    expect(texts(await readTextTable(ndjson))).toEqual(wires.map((w) => w.text));

    const classNames = [...new Set(wires.map((w) => w.topic))].reverse();
    const fixed = await readTextTable(file, { classNames });
    expect(labelsOf(fixed)).toEqual(classNames);
    expect(labelNames(fixed)).toEqual(wires.map((w) => w.topic));
    const missing = classNames.filter((c) => c !== wires[7].topic);
    const error = await failure(readTextTable(file, { classNames: missing }));
    const row = wires.findIndex((w) => w.topic === wires[7].topic) + 1;
    expect(error.row).toBe(row);
    expect(error.line).toBe(row < 6 ? row : row + 1);
    expect(error.message).toContain(`label "${wires[7].topic}" is not one of classNames`);
  });

  it('a Latin-1 file is decoded with the fallback encoding and reported', async () => {
    const ascii = reviews.filter((r) => /^[\x20-\x7e]*$/.test(r.text)).slice(0, 20);
    const rows = [['text', 'label'], ...ascii.map((r, i) => [i === 0 ? `${r.text} Déjà vu.` : r.text, sentiment(r)])];
    const file = await writeFixture(dir, 'latin1.csv', Buffer.from(csvLines(rows), 'latin1'));
    const table = await readTextTable(file);
    expect(texts(table)[0]).toBe(`${ascii[0].text} Déjà vu.`);
    expect(texts(table).slice(1)).toEqual(ascii.slice(1).map((r) => r.text));
    expect(readJsonMeta<DecodingReport>(table, 'seqlearn.decoding')).toEqual({
      fallbackEncoding: 'windows-1252',
      fallbackFiles: 1,
      examples: [file],
    });
  });

  it('labelColumn: null reads unlabeled texts: labels [] and every label -1', async () => {
    const file = await writeFixture(dir, 'unlabeled.jsonl', reviews.map((r) => JSON.stringify({ text: r.text })).join('\n'));
    const table = await readTextTable(file, { labelColumn: null });
    validateCorpus(table);
    expect(labelsOf(table)).toEqual([]);
    expect([...columnValues(table, 'label').values]).toEqual(reviews.map(() => -1));
    expect(texts(table)).toEqual(reviews.map((r) => r.text));
    await expect(readTextTable(file, { labelColumn: null, classNames: ['a', 'b'] })).rejects.toThrow(CorporaOptionError);
  });

  it('errors name the file, the row, the line and the column', async () => {
    const csv = (name: string, rows: (string | number)[][]): Promise<string> => writeFixture(dir, name, csvLines(rows));
    const base = reviews.slice(0, 12).map((r, i) => [written[i], sentiment(r)]);

    const noText = await failure(readTextTable(await csv('no-text.csv', [['review', 'label'], ...base])));
    expect(noText.column).toBe('text');
    expect(noText.message).toMatch(
      /no-text\.csv, column "text": has no text column "text"; the columns are "review", "label" \(pass textColumn\)/,
    );
    const noLabel = await failure(readTextTable(await csv('no-label.csv', [['text', 'sentiment'], ...base])));
    expect(noLabel.message).toMatch(
      /has no label column "label"; the columns are "text", "sentiment" \(pass labelColumn \(or labelColumn: null/,
    );
    const noId = await failure(readTextTable(await csv('no-id.csv', [['text', 'label'], ...base]), { idColumn: 'key' }));
    expect(noId.message).toMatch(/has no id column "key"/);

    const headerOnly = await failure(readTextTable(await writeFixture(dir, 'header-only.csv', 'text,label\r\n')));
    expect(headerOnly.message).toMatch(/header-only\.csv: has no data rows \(only the header "text", "label"\)/);
    const empty = await failure(readTextTable(await writeFixture(dir, 'empty.csv', '')));
    expect(empty.message).toMatch(/empty\.csv: is empty/);
    const emptyJson = await failure(readTextTable(await writeFixture(dir, 'empty.json', '[]')));
    expect(emptyJson.message).toMatch(/has no data rows/);

    // Rows 3 and 8 have no label; row 3 starts on line 5 because row 1's text spans three lines.
    const gaps = base.map((row, i) => (i === 2 || i === 7 ? [row[0], ''] : row));
    const unlabeled = await failure(readTextTable(await csv('missing-labels.csv', [['text', 'label'], ...gaps])));
    expect(unlabeled.row).toBe(3);
    expect(unlabeled.line).toBe(2 + (written[0].match(/\n/g)?.length ?? 0) + 2);
    expect(unlabeled.column).toBe('label');
    expect(unlabeled.message).toMatch(/row 3: has no label \(2 of the 12 rows have none; this is the first\)/);

    const numeric = await failure(
      readTextTable(
        await csv('numeric.csv', [['text', 'label', 'review'], ...reviews.slice(0, 5).map((r) => [r.rating, sentiment(r), r.text])]),
      ),
    );
    expect(numeric.column).toBe('text');
    expect(numeric.message).toMatch(/text column "text" holds only numbers, so it looks numeric; pass textColumn .*"review"/);

    const ragged = await failure(readTextTable(await writeFixture(dir, 'ragged.csv', 'text,label\ngood,pos\nbad,neg,extra\n')));
    expect(ragged.line).toBe(3);

    const badJson = await failure(
      readTextTable(await writeFixture(dir, 'bad.json', '[\n  {"text": "a", "label": "x"},\n  {"text": "b", "label": }\n]')),
    );
    expect(badJson.line).toBe(3);
    expect(badJson.message).toMatch(/bad\.json, line 3: is not valid JSON/);
    const object = await failure(readTextTable(await writeFixture(dir, 'object.json', '{"text": "a", "label": "x"}')));
    expect(object.message).toMatch(/holds a JSON object, not an array; expected an array of objects/);
    const notObjects = await failure(readTextTable(await writeFixture(dir, 'strings.json', '[{"text": "a", "label": "x"}, "b"]')));
    expect(notObjects.row).toBe(2);
    expect(notObjects.message).toMatch(/row 2: is a JSON string; expected an object/);
    const numberText = await failure(
      readTextTable(
        await writeFixture(
          dir,
          'number-text.json',
          JSON.stringify([
            { text: 'fine', label: 'a' },
            { text: 42, label: 'b' },
          ]),
        ),
      ),
    );
    expect(numberText.row).toBe(2);
    expect(numberText.column).toBe('text');
    expect(numberText.message).toMatch(/holds the number 42 as its text; expected a string/);
    const badLine = await failure(
      readTextTable(await writeFixture(dir, 'bad.jsonl', `${JSON.stringify({ text: 'a', label: 'x' })}\n\n{"text": "b", "label": "y"\n`)),
    );
    expect(badLine.line).toBe(3);
    expect(badLine.message).toMatch(/bad\.jsonl, line 3: is not valid JSON/);
    const arrayLine = await failure(
      readTextTable(await writeFixture(dir, 'array.jsonl', `${JSON.stringify({ text: 'a', label: 'x' })}\n["b", "y"]\n`)),
    );
    expect(arrayLine.line).toBe(2);
    expect(arrayLine.message).toMatch(/is an array; expected one JSON object per line/);

    const missing = await failure(readTextTable(`${dir}/absent.csv`));
    expect(missing.message).toMatch(/absent\.csv: does not exist/);
    await expect(readTextTable(await writeFixture(dir, 'reviews.txt', 'x'))).rejects.toThrow(/cannot tell the format from the extension/);
    const options: TextTableOptions = { format: 'xml' as TextTableOptions['format'] };
    await expect(readTextTable(`${dir}/reviews.csv`, options)).rejects.toThrow(CorporaOptionError);
  });
});
