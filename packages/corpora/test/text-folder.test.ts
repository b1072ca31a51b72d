import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnValues, META, readJsonMeta, validateCorpus } from '@seqlearn/dataset';
import { hasShared, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import { CorporaOptionError, type DecodingReport, type ImdbReview, LayoutError, type ReadProgress, readTextFolder } from '../src/index.js';
import { tempDir } from './archive-fixtures.js';
import { imdbSample, reutersSample, texts, type Wire } from './real-samples.js';

async function put(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

describe.skipIf(!hasShared)('readTextFolder on real IMDB reviews and Reuters wires', () => {
  if (!hasShared) console.warn(SKIP_WITHOUT_SHARED);
  let dir: string;
  let cleanup: () => Promise<void>;
  let reviews: ImdbReview[];
  let wires: Wire[];
  /** id (path relative to the root) → the text written there, and its class folder. */
  const expected = new Map<string, { text: string; folder: string }>();
  let latin1Id: string;
  let bomId: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('folder'));
    reviews = await imdbSample(120);
    wires = await reutersSample(300);
    const root = join(dir, 'imdb');
    // Odd names and nesting: any file name is a text, and nested folders belong to their class.
    const names = (r: ImdbReview, i: number): string => {
      if (i % 7 === 0) return `deeper/level two/review #${r.id} (copy)`;
      if (i % 11 === 0) return `ünïcode ${r.id}.TXT`;
      if (i % 13 === 0) return `${r.id}`;
      return `${r.id}_${r.rating}.txt`;
    };
    const ascii = reviews.find((r) => r.label === 1 && /^[\x20-\x7e]*$/.test(r.text))!;
    for (const [i, review] of reviews.entries()) {
      const folder = review.label === 1 ? 'pos' : 'neg';
      const id = `${folder}/${names(review, i)}`;
      if (review === ascii) {
        // An email-era file: Latin-1 bytes, é is 0xE9, which is not valid UTF-8.
        const text = `${review.text} Café crème.`;
        await put(join(root, id), Buffer.from(text, 'latin1'));
        expected.set(id, { text, folder });
        latin1Id = id;
      } else if (i === 3) {
        await put(join(root, id), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(review.text, 'utf8')]));
        expected.set(id, { text: review.text, folder });
        bomId = id;
      } else {
        await put(join(root, id), review.text);
        expected.set(id, { text: review.text, folder });
      }
    }
    await put(join(root, '.DS_Store'), 'Bud1');
    await put(join(root, 'pos', '.DS_Store'), 'Bud1');
    await put(join(root, 'neg', '.git', 'HEAD'), 'ref: refs/heads/main');
    await put(join(root, '.hidden-class', 'x.txt'), 'not a class');
    await put(join(root, 'README.txt'), 'a file beside the class folders is not a class');

    for (const [i, wire] of wires.entries()) await put(join(dir, 'reuters', wire.topic, `${i}.sgm.txt`), wire.text);
  });
  afterAll(() => cleanup());

  it('reads every file of every class folder (nested, any name), skipping hidden ones', async () => {
    const progress: ReadProgress[] = [];
    const table = await readTextFolder(join(dir, 'imdb'), { onProgress: (p) => progress.push(p) });
    validateCorpus(table);
    expect(readJsonMeta<string[]>(table, META.labels)).toEqual(['neg', 'pos']);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['text', 'label', 'id']);
    expect(table.numRows).toBe(reviews.length);
    const ids = Array.from(table.getChild('id')!.toArray(), String);
    expect(new Set(ids)).toEqual(new Set(expected.keys()));
    const label = columnValues(table, 'label').values;
    const text = texts(table);
    ids.forEach((id, row) => {
      expect(text[row]).toBe(expected.get(id)!.text);
      expect(label[row]).toBe(expected.get(id)!.folder === 'pos' ? 1 : 0);
    });
    expect(ids.some((id) => id.startsWith('pos/deeper/level two/') || id.startsWith('neg/deeper/level two/'))).toBe(true);
    expect(text[ids.indexOf(bomId)].charCodeAt(0)).not.toBe(0xfeff);
    expect(progress.at(-1)).toMatchObject({ records: reviews.length });
    expect(progress.at(-1)!.bytesRead).toBe(progress.at(-1)!.totalBytes);
  });

  it('decodes a file that is not UTF-8 with the fallback encoding and reports it', async () => {
    const table = await readTextFolder(join(dir, 'imdb'));
    const ids = Array.from(table.getChild('id')!.toArray(), String);
    expect(texts(table)[ids.indexOf(latin1Id)]).toMatch(/Café crème\.$/);
    expect(readJsonMeta<DecodingReport>(table, 'seqlearn.decoding')).toEqual({
      fallbackEncoding: 'windows-1252',
      fallbackFiles: 1,
      examples: [latin1Id],
    });
    // Decoded as UTF-16 instead, the same file no longer reads as "Café".
    const utf16 = await readTextFolder(join(dir, 'imdb'), { fallbackEncoding: 'utf-16le' });
    expect(texts(utf16)[ids.indexOf(latin1Id)]).not.toMatch(/Café/);
    await expect(readTextFolder(join(dir, 'imdb'), { fallbackEncoding: 'klingon-8' })).rejects.toThrow(CorporaOptionError);
  });

  it('orders many classes by code point, and classNames restricts and reorders them', async () => {
    const table = await readTextFolder(join(dir, 'reuters'));
    const topics = [...new Set(wires.map((w) => w.topic))].sort(byCodePoint);
    expect(readJsonMeta<string[]>(table, META.labels)).toEqual(topics);
    expect(table.numRows).toBe(wires.length);
    const ids = Array.from(table.getChild('id')!.toArray(), String);
    const label = columnValues(table, 'label').values;
    ids.forEach((id, row) => {
      const wire = wires[Number(/\/(\d+)\.sgm\.txt$/.exec(id)![1])];
      expect(topics[label[row]]).toBe(wire.topic);
      expect(texts(table)[row]).toBe(wire.text);
    });

    const chosen = ['grain', 'earn', 'acq'].filter((t) => topics.includes(t));
    expect(chosen.length).toBe(3);
    const some = await readTextFolder(join(dir, 'reuters'), { classNames: chosen });
    expect(readJsonMeta<string[]>(some, META.labels)).toEqual(chosen);
    expect(some.numRows).toBe(wires.filter((w) => chosen.includes(w.topic)).length);
    const someLabels = columnValues(some, 'label').values;
    Array.from(some.getChild('id')!.toArray(), String).forEach((id, row) => expect(chosen[someLabels[row]]).toBe(id.split('/')[0]));

    const flipped = await readTextFolder(join(dir, 'imdb'), { classNames: ['pos', 'neg'] });
    const flippedIds = Array.from(flipped.getChild('id')!.toArray(), String);
    const flippedLabels = columnValues(flipped, 'label').values;
    flippedIds.forEach((id, row) => expect(flippedLabels[row]).toBe(id.startsWith('pos/') ? 0 : 1));
  });

  it('names what is wrong: missing folder, a file, no class folders, an empty class, one class, an unknown class name', async () => {
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      [join(dir, 'nope'), () => readTextFolder(join(dir, 'nope')), /nope: does not exist/],
      [join(dir, 'imdb', 'README.txt'), () => readTextFolder(join(dir, 'imdb', 'README.txt')), /README\.txt: is not a folder/],
      [
        join(dir, 'imdb', 'pos', 'deeper', 'level two'),
        () => readTextFolder(join(dir, 'imdb', 'pos', 'deeper', 'level two')),
        /has no subfolders; expected one subfolder per class/,
      ],
      [
        join(dir, 'imdb'),
        () => readTextFolder(join(dir, 'imdb'), { classNames: ['pos', 'meh'] }),
        /no class folder "meh" \(from classNames\); the folders there are "neg", "pos"/,
      ],
      [join(dir, 'imdb'), () => readTextFolder(join(dir, 'imdb'), { classNames: ['pos'] }), /a classifier needs at least 2 classes/],
    ];
    for (const [file, promise, message] of cases) {
      const error = await promise().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LayoutError);
      expect((error as LayoutError).file).toBe(file);
      expect((error as LayoutError).message).toMatch(message);
      expect((error as LayoutError).code).toBe('ERR_LAYOUT');
    }
    await put(join(dir, 'one', 'only', 'a.txt'), reviews[0].text);
    await expect(readTextFolder(join(dir, 'one'))).rejects.toThrow(/has 1 class folder \("only"\); a classifier needs at least 2 classes/);
    await put(join(dir, 'empty', 'a', 'x.txt'), reviews[0].text);
    await put(join(dir, 'empty', 'b', '.DS_Store'), 'Bud1');
    const empty = await readTextFolder(join(dir, 'empty')).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(LayoutError);
    expect((empty as LayoutError).file).toBe(join(dir, 'empty', 'b'));
    expect((empty as LayoutError).message).toMatch(/class folder "b" holds no files/);
  });
});
