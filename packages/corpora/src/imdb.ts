import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { corpusTable } from '@seqlearn/dataset';
import { type ProgressCallback, readTarGz } from './archive.js';
import { CorporaOptionError, LayoutError } from './errors.js';
import { int32Data, withColumns } from './extra-columns.js';

export type ImdbSplit = 'train' | 'test';

/** Label names of the IMDB corpus: the folder a review sits in. */
export const IMDB_LABELS = ['neg', 'pos'] as const;

/** One review of the Large Movie Review Dataset. */
export interface ImdbReview {
  text: string;
  /** 0 = neg, 1 = pos (from the folder). */
  label: 0 | 1;
  split: ImdbSplit;
  /** The number before the underscore in `<id>_<rating>.txt`; unique within a split and label folder. */
  id: number;
  /** The star rating after the underscore: 1–4 for neg, 7–10 for pos. */
  rating: number;
  /** The review's path inside the archive or folder, e.g. `aclImdb/train/pos/0_9.txt`. */
  path: string;
}

export interface ImdbOptions {
  /** Which splits to read; default both. `train/unsup` is never read (it has no labels). */
  splits?: readonly ImdbSplit[];
  /** Called as reviews are read; bytes are compressed bytes for a tarball, file bytes for a folder. */
  onProgress?: ProgressCallback;
}

// `aclImdb/train/pos/0_9.txt`: the top folder's name does not matter, `unsup` and `*.feat` never match.
const REVIEW_PATH = /^(?:[^/]+\/)?(train|test)\/(neg|pos)\/(\d+)_(\d+)\.txt$/;
const REVIEW_FILE = /^(\d+)_(\d+)\.txt$/;

function checkSplits(splits: readonly ImdbSplit[]): void {
  for (const split of splits) {
    if (split !== 'train' && split !== 'test')
      throw new CorporaOptionError(`IMDB split "${String(split)}" does not exist; expected "train" or "test"`);
  }
}

async function* fromTarball(file: string, splits: readonly ImdbSplit[], onProgress?: ProgressCallback): AsyncGenerator<ImdbReview> {
  let records = 0;
  let bytes = { read: 0, total: 0 };
  const select = (name: string): boolean => {
    const m = REVIEW_PATH.exec(name);
    return m !== null && splits.includes(m[1] as ImdbSplit);
  };
  for await (const member of readTarGz(file, { select, onMember: (read, total) => (bytes = { read, total }) })) {
    const m = REVIEW_PATH.exec(member.name)!;
    records++;
    yield {
      text: member.data.toString('utf8'),
      label: m[2] === 'pos' ? 1 : 0,
      split: m[1] as ImdbSplit,
      id: Number(m[3]),
      rating: Number(m[4]),
      path: member.name,
    };
    if (onProgress && records % 500 === 0) onProgress({ bytesRead: bytes.read, totalBytes: bytes.total, records });
  }
  onProgress?.({ bytesRead: bytes.total, totalBytes: bytes.total, records });
}

/** `root` is the `aclImdb` folder itself or a folder holding it. */
async function findImdbRoot(root: string): Promise<string> {
  for (const candidate of [root, join(root, 'aclImdb')]) {
    const ok =
      (await stat(join(candidate, 'train')).then(
        (s) => s.isDirectory(),
        () => false,
      )) ||
      (await stat(join(candidate, 'test')).then(
        (s) => s.isDirectory(),
        () => false,
      ));
    if (ok) return candidate;
  }
  throw new LayoutError({ file: root }, 'no train/ or test/ folder here or in aclImdb/; expected the extracted aclImdb_v1.tar.gz');
}

async function* fromFolder(root: string, splits: readonly ImdbSplit[], onProgress?: ProgressCallback): AsyncGenerator<ImdbReview> {
  const base = await findImdbRoot(root);
  const folders: { split: ImdbSplit; label: 0 | 1; dir: string; files: { name: string; id: number; rating: number }[] }[] = [];
  for (const split of splits) {
    for (const label of [0, 1] as const) {
      const dir = join(base, split, IMDB_LABELS[label]);
      const names = await readdir(dir).catch(() => {
        throw new LayoutError({ file: dir }, `folder is missing; expected ${split}/${IMDB_LABELS[label]}/<id>_<rating>.txt files`);
      });
      const files = names.flatMap((name) => {
        const m = REVIEW_FILE.exec(name);
        return m ? [{ name, id: Number(m[1]), rating: Number(m[2]) }] : [];
      });
      files.sort((a, b) => a.id - b.id);
      folders.push({ split, label, dir, files });
    }
  }
  const total = folders.reduce((sum, f) => sum + f.files.length, 0);
  let records = 0;
  let bytesRead = 0;
  // Small files: read a few dozen at once so the disk queue stays busy, yield in a fixed order.
  const parallel = 32;
  for (const folder of folders) {
    for (let start = 0; start < folder.files.length; start += parallel) {
      const chunk = folder.files.slice(start, start + parallel);
      const texts = await Promise.all(chunk.map((f) => readFile(join(folder.dir, f.name))));
      for (let i = 0; i < chunk.length; i++) {
        const f = chunk[i];
        bytesRead += texts[i].length;
        records++;
        yield {
          text: texts[i].toString('utf8'),
          label: folder.label,
          split: folder.split,
          id: f.id,
          rating: f.rating,
          path: `${basename(base)}/${folder.split}/${IMDB_LABELS[folder.label]}/${f.name}`,
        };
      }
      onProgress?.({ bytesRead, totalBytes: 0, records });
    }
  }
  onProgress?.({ bytesRead, totalBytes: bytesRead, records: total });
}

/**
 * Streams IMDB reviews one by one from an `aclImdb/` folder or from the tarball
 * (`aclImdb_v1.tar.gz`, read without extracting), so a streaming tokenizer fit never
 * holds the corpus. A folder is read in split, label, id order; a tarball in archive order.
 */
export async function* imdbReviews(source: string, options: ImdbOptions = {}): AsyncGenerator<ImdbReview> {
  const splits = options.splits ?? ['train', 'test'];
  checkSplits(splits);
  const info = await stat(source).catch(() => {
    throw new LayoutError({ file: source }, 'does not exist; expected an aclImdb/ folder or aclImdb_v1.tar.gz');
  });
  let count = 0;
  const reviews = info.isDirectory() ? fromFolder(source, splits, options.onProgress) : fromTarball(source, splits, options.onProgress);
  for await (const review of reviews) {
    count++;
    yield review;
  }
  if (count === 0) {
    throw new LayoutError(
      { file: source },
      `holds no ${splits.join('/')} reviews; expected aclImdb/{train,test}/{neg,pos}/<id>_<rating>.txt`,
    );
  }
}

const SPLIT_ORDER: Record<ImdbSplit, number> = { train: 0, test: 1 };

/**
 * Reads IMDB into a corpus table: `text`, `label` (0 neg, 1 pos), `id` (`train/pos/123`),
 * `split` (train/test) and an extra `rating: Int32` column. Rows are sorted by split, label
 * and id, so the folder and the tarball give the same table.
 */
export async function readImdb(source: string, options: ImdbOptions = {}): Promise<Table> {
  const reviews: ImdbReview[] = [];
  for await (const review of imdbReviews(source, options)) reviews.push(review);
  reviews.sort((a, b) => SPLIT_ORDER[a.split] - SPLIT_ORDER[b.split] || a.label - b.label || a.id - b.id);
  const table = corpusTable(
    {
      text: reviews.map((r) => r.text),
      label: Int32Array.from(reviews, (r) => r.label),
      id: reviews.map((r) => `${r.split}/${IMDB_LABELS[r.label]}/${r.id}`),
      split: reviews.map((r) => r.split),
    },
    {
      labels: [...IMDB_LABELS],
      source,
      metadata: { 'seqlearn.corpus': 'imdb', 'seqlearn.extraColumns': JSON.stringify({ rating: 'star rating from <id>_<rating>.txt' }) },
    },
  );
  return withColumns(table, [{ name: 'rating', data: int32Data(Int32Array.from(reviews, (r) => r.rating)) }]);
}

/** Just the review texts, streamed: `tokenizer.fitOnTextsAsync(imdbTexts(path, { splits: ['train'] }))`. */
export async function* imdbTexts(source: string, options: ImdbOptions = {}): AsyncGenerator<string> {
  for await (const review of imdbReviews(source, options)) yield review.text;
}
