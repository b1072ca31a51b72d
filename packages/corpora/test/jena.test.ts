import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnValues, META, readJsonMeta, validateTimeseries, type TimeseriesInfo } from '@seqlearn/dataset';
import { ArchiveError, CsvError, JENA_COLUMNS, readJenaClimate } from '../src/index.js';
import { tempDir, writeFixture } from './archive-fixtures.js';
import { makeZip } from './zip-fixture.js';

/** Epoch ms of the time column (Arrow hands Timestamp<MILLISECOND> back as BigInt). */
const times = (table: { getChild(name: string): { toArray(): ArrayLike<bigint | number> } | null }): number[] =>
  Array.from(table.getChild('time')!.toArray(), Number);

/** Writes rows in the exact format of jena_climate_2009_2016.csv (quoted header, dd.mm.yyyy dates, LF). */
function jenaCsv(rows: number, errors: Map<number, [number, number]>): { text: string; wv: number[]; maxWv: number[] } {
  const header = JENA_COLUMNS.map((c) => `"${c}"`).join(',');
  const lines = [header];
  const wv: number[] = [];
  const maxWv: number[] = [];
  const pad = (n: number): string => String(n).padStart(2, '0');
  for (let r = 0; r < rows; r++) {
    const t = new Date(Date.UTC(2009, 0, 1, 0, 10 * (r + 1)));
    const date = `${pad(t.getUTCDate())}.${pad(t.getUTCMonth() + 1)}.${t.getUTCFullYear()} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:00`;
    const [w, m] = errors.get(r) ?? [1 + r * 0.5, 2 + r * 0.5];
    wv.push(w);
    maxWv.push(m);
    const cells = [996.52 + r, -8.02 + r, 265.4, -8.9, 93.3, 3.33, 3.11, 0.22, 1.94, 3.12, 1307.75];
    lines.push([date, ...cells.map((v) => v.toFixed(2)), w.toFixed(2), m.toFixed(2), '152.30'].join(','));
  }
  return { text: lines.join('\n') + '\n', wv, maxWv };
}

describe('Jena climate reader (on a file in the exact format)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('jena')));
  afterAll(() => cleanup());

  // Rows 0, 3 and 7 (the last) carry the station's -9999.0 error value in the wind columns.
  const errors = new Map<number, [number, number]>([
    [0, [-9999, 2]],
    [3, [-9999, -9999]],
    [7, [-9999, 5.5]],
  ]);
  const fixture = jenaCsv(8, errors);

  it('parses dates, keeps the 14 measurements with their units, and keeps -9999 by default', async () => {
    const file = await writeFixture(dir, 'jena_climate_2009_2016.csv', fixture.text);
    const table = await readJenaClimate(file);
    validateTimeseries(table);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['time', ...JENA_COLUMNS.slice(1)]);
    expect(times(table)).toEqual(Array.from({ length: 8 }, (_, r) => Date.UTC(2009, 0, 1, 0, 10 * (r + 1))));
    expect([...columnValues(table, 'wv (m/s)').values]).toEqual(fixture.wv.map(Math.fround));
    expect([...columnValues(table, 'p (mbar)').values]).toEqual(
      Array.from({ length: 8 }, (_, r) => Math.fround(Number((996.52 + r).toFixed(2)))),
    );
    const info = readJsonMeta<TimeseriesInfo>(table, META.timeseries)!;
    expect(info.units).toMatchObject({ 'p (mbar)': 'mbar', 'T (degC)': 'degC', 'rho (g/m**3)': 'g/m**3', 'wd (deg)': 'deg' });
  });

  it('handles -9999 as nan, zero, interpolate or drop', async () => {
    const file = await writeFixture(dir, 'jena_climate_2009_2016.csv', fixture.text);
    const wv = async (errorValues: 'nan' | 'zero' | 'interpolate' | 'drop'): Promise<number[]> => [
      ...columnValues(await readJenaClimate(file, { errorValues }), 'wv (m/s)').values,
    ];
    const good = fixture.wv;
    expect((await wv('nan')).map((v, r) => (errors.has(r) ? Number.isNaN(v) : v === Math.fround(good[r])))).toEqual(Array(8).fill(true));
    expect(await wv('zero')).toEqual(good.map((v, r) => (errors.has(r) ? 0 : Math.fround(v))));
    // Linear in time between valid neighbours; the first and last rows take their nearest valid value.
    const expected = [...good];
    expected[0] = good[1];
    expected[3] = (good[2] + good[4]) / 2;
    expected[7] = good[6];
    expect(await wv('interpolate')).toEqual(expected.map(Math.fround));
    expect(await wv('drop')).toEqual(good.filter((_, r) => !errors.has(r)).map(Math.fround));
  });

  it('a file missing a Jena column, or with a bad date, is a CsvError naming it', async () => {
    const noWd = fixture.text.replace(',"wd (deg)"', '').replace(/,152\.30/g, '');
    const error = await readJenaClimate(await writeFixture(dir, 'no-wd.csv', noWd)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvError);
    expect((error as CsvError).message).toMatch(/no-wd\.csv, line 1, column "wd \(deg\)": missing required column/);
    const badDate = fixture.text.replace('01.01.2009 00:30:00', '2009-01-01 00:30:00');
    const dateError = await readJenaClimate(await writeFixture(dir, 'bad-date.csv', badDate)).catch((e: unknown) => e);
    expect(dateError).toBeInstanceOf(CsvError);
    expect((dateError as CsvError).line).toBe(4);
    expect((dateError as CsvError).message).toMatch(/"2009-01-01 00:30:00" is not a date in the format dd\.mm\.yyyy hh:mm:ss/);
  });

  it('streams the CSV out of the official .zip (skipping a macOS resource fork), and names a truncated zip', async () => {
    const plain = await readJenaClimate(await writeFixture(dir, 'jena_climate_2009_2016.csv', fixture.text));
    const zipBytes = makeZip({ '__MACOSX/._jena_climate_2009_2016.csv': 'resource fork', 'jena_climate_2009_2016.csv': fixture.text });
    const zip = await writeFixture(dir, 'jena_climate_2009_2016.csv.zip', zipBytes);
    const zipped = await readJenaClimate(zip, { errorValues: 'keep' });
    expect(zipped.toArray().map((r) => r.toJSON())).toEqual(plain.toArray().map((r) => r.toJSON()));
    expect(zipped.schema.metadata.get('seqlearn.source')).toBe(`${zip}:jena_climate_2009_2016.csv`);
    const cut = await writeFixture(dir, 'cut.csv.zip', zipBytes.subarray(0, zipBytes.length - 30));
    const error = await readJenaClimate(cut).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).file).toBe(cut);
  });
});
