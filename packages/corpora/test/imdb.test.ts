import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnValues, createRng, readJsonMeta, META, validateCorpus } from '@seqlearn/dataset';
import { hasShared, sharedDataPath, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import { ArchiveError, LayoutError, imdbReviews, imdbTexts, readImdb } from '../src/index.js';
import { makeTarBuffer, makeTarGz, tempDir, writeFixture } from './archive-fixtures.js';

// A miniature aclImdb in the official layout, including the parts the reader must skip.
const REVIEWS: Record<string, string> = {
  'aclImdb/train/pos/0_9.txt': 'Bromwell High is a cartoon comedy.<br /><br />Great.',
  'aclImdb/train/pos/12_7.txt': 'Fine film, café scenes included.',
  'aclImdb/train/neg/3_1.txt': 'Awful.',
  'aclImdb/test/neg/5_4.txt': 'Not good, not terrible.',
  'aclImdb/test/pos/2_10.txt': 'A masterpiece.',
};
const EXTRAS: Record<string, string> = {
  'aclImdb/': '',
  'aclImdb/README': 'Large Movie Review Dataset v1.0',
  'aclImdb/imdb.vocab': 'the\nand\n',
  'aclImdb/train/unsup/0_0.txt': 'unlabelled review that must be skipped',
  'aclImdb/train/labeledBow.feat': '9 0:9 1:1',
  'aclImdb/train/urls_pos.txt': 'http://www.imdb.com/title/tt0453418/usercomments',
};

describe('IMDB reader', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let tarball: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('imdb'));
    tarball = await writeFixture(dir, 'aclImdb_v1.tar.gz', await makeTarGz({ ...EXTRAS, ...REVIEWS }));
    for (const [name, text] of Object.entries({ ...REVIEWS, 'aclImdb/train/unsup/0_0.txt': 'skip me' })) {
      await mkdir(join(dir, 'extracted', name, '..'), { recursive: true });
      await writeFile(join(dir, 'extracted', name), text);
    }
  });
  afterAll(() => cleanup());

  it('reads the tarball without extracting: labels from folders, ratings from names, unsup skipped', async () => {
    const table = await readImdb(tarball);
    validateCorpus(table);
    expect(table.numRows).toBe(5);
    expect(readJsonMeta<string[]>(table, META.labels)).toEqual(['neg', 'pos']);
    const rows = table.toArray().map((r) => r.toJSON());
    expect(rows.map((r) => r.id)).toEqual(['train/neg/3', 'train/pos/0', 'train/pos/12', 'test/neg/5', 'test/pos/2']);
    expect(rows.map((r) => r.label)).toEqual([0, 1, 1, 0, 1]);
    expect(rows.map((r) => r.rating)).toEqual([1, 9, 7, 4, 10]);
    expect(rows.map((r) => r.split)).toEqual(['train', 'train', 'train', 'test', 'test']);
    expect(rows[2].text).toBe(REVIEWS['aclImdb/train/pos/12_7.txt']);
  });

  it('gives the same table from the extracted folder (either aclImdb/ or its parent)', async () => {
    const fromTar = await readImdb(tarball);
    for (const root of [join(dir, 'extracted'), join(dir, 'extracted', 'aclImdb')]) {
      const fromDir = await readImdb(root);
      expect(fromDir.toArray().map((r) => r.toJSON())).toEqual(fromTar.toArray().map((r) => r.toJSON()));
    }
  });

  it('streams records one at a time, and can read one split', async () => {
    const seen: string[] = [];
    for await (const review of imdbReviews(tarball, { splits: ['test'] }))
      seen.push(`${review.split}:${review.label}:${review.id}_${review.rating}`);
    expect(seen.sort()).toEqual(['test:0:5_4', 'test:1:2_10']);
    const texts: string[] = [];
    for await (const text of imdbTexts(join(dir, 'extracted'), { splits: ['train'] })) texts.push(text);
    expect(texts).toEqual([
      REVIEWS['aclImdb/train/neg/3_1.txt'],
      REVIEWS['aclImdb/train/pos/0_9.txt'],
      REVIEWS['aclImdb/train/pos/12_7.txt'],
    ]);
  });

  it('stops cleanly when the consumer breaks early', async () => {
    let n = 0;
    for await (const _ of imdbReviews(tarball)) if (++n === 2) break;
    expect(n).toBe(2);
  });

  it('names the file and the member of a truncated gzip', async () => {
    // Incompressible text, so that cutting the gzip at 60% lands inside this member.
    const rng = createRng(7);
    const noise = Array.from({ length: 200_000 }, () => String.fromCharCode(97 + rng.nextInt(26))).join('');
    const whole = await makeTarGz({ ...REVIEWS, 'aclImdb/test/pos/99_8.txt': noise });
    const cut = await writeFixture(dir, 'cut.tar.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
    const error = await readImdb(cut).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).file).toBe(cut);
    expect((error as ArchiveError).message).toMatch(/gzip stream is truncated/);
    expect((error as ArchiveError).entry).toBe('aclImdb/test/pos/99_8.txt');
  });

  it('names the file of a truncated tar inside a complete gzip', async () => {
    const tarBytes = await makeTarBuffer({ ...REVIEWS, 'aclImdb/test/pos/99_8.txt': 'y'.repeat(5000) });
    const cut = await writeFixture(dir, 'cut-tar.tar.gz', gzipSync(tarBytes.subarray(0, tarBytes.length - 4096)));
    const error = await readImdb(cut).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).message).toContain(cut);
    expect((error as ArchiveError).message).toMatch(/tar archive is truncated/);
  });

  it('rejects a folder without the aclImdb layout', async () => {
    await expect(readImdb(join(dir, 'extracted', 'aclImdb', 'train'))).rejects.toBeInstanceOf(LayoutError);
    await expect(readImdb(join(dir, 'missing.tar.gz'))).rejects.toBeInstanceOf(LayoutError);
  });
});

describe.skipIf(!hasShared)('IMDB: the real aclImdb_v1_labelled.tar.gz', () => {
  if (!hasShared) console.warn(SKIP_WITHOUT_SHARED);

  it('has 25,000 train and 25,000 test reviews, 12,500 of each label in each', async () => {
    const progress: number[] = [];
    const table = await readImdb(sharedDataPath('aclImdb_v1_labelled.tar.gz'), { onProgress: (p) => progress.push(p.records) });
    validateCorpus(table);
    const label = columnValues(table, 'label').values;
    const split = table.getChild('split')!;
    const rating = columnValues(table, 'rating').values;
    const counts: Record<string, number> = {};
    for (let i = 0; i < table.numRows; i++) {
      const key = `${split.get(i)}/${label[i]}`;
      counts[key] = (counts[key] ?? 0) + 1;
      // The data set's own rule: negative reviews score ≤ 4, positive ≥ 7, out of 10.
      expect(label[i] === 0 ? rating[i] >= 1 && rating[i] <= 4 : rating[i] >= 7 && rating[i] <= 10).toBe(true);
    }
    expect(counts).toEqual({ 'train/0': 12_500, 'train/1': 12_500, 'test/0': 12_500, 'test/1': 12_500 });
    expect(progress[progress.length - 1]).toBe(50_000);
  });
});
