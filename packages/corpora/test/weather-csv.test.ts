import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnValues, readJsonMeta, validateTimeseries } from '@seqlearn/dataset';
import { hasShared, sharedDataPath, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import { InputError } from '@seqlearn/dataset';
import {
  CsvError,
  JENA_COLUMNS,
  type MissingReport,
  readJenaClimate,
  readPrsa,
  readSeriesCsv,
  readWeatherCsv,
  type WeatherCsvOptions,
} from '../src/index.js';
import { tempDir, writeFixture } from './archive-fixtures.js';

/** Epoch ms of the time column (Arrow hands Timestamp<MILLISECOND> back as BigInt). */
const times = (table: { getChild(name: string): { toArray(): ArrayLike<bigint | number> } | null }): number[] =>
  Array.from(table.getChild('time')!.toArray(), Number);

const PRSA_OPTIONS: WeatherCsvOptions = {
  time: { columns: { year: 'year', month: 'month', day: 'day', hour: 'hour' } },
  categorical: ['cbwd'],
  ignore: ['No'],
};

const values = (table: Awaited<ReturnType<typeof readWeatherCsv>>, column: string): number[] => [...columnValues(table, column).values];

describe('weather CSV reader', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('csv')));
  afterAll(() => cleanup());

  // Hourly rows; TEMP is NA at the start, in the middle and at the end; CRLF line ends.
  const SMALL =
    [
      'No,year,month,day,hour,TEMP,PRES,cbwd',
      '1,2010,1,1,0,NA,1000,NW',
      '2,2010,1,1,1,2,1001,cv',
      '3,2010,1,1,2,,1002,NW',
      '4,2010,1,1,3,NA,1003,',
      '5,2010,1,1,4,8,1004,SE',
      '6,2010,1,1,5,NA,1005,SE',
    ].join('\r\n') + '\r\n';

  it('takes time from calendar columns and one-hot encodes a declared categorical column', async () => {
    const file = await writeFixture(dir, 'small.csv', SMALL);
    const table = await readWeatherCsv(file, { ...PRSA_OPTIONS, missing: 'ffill' });
    validateTimeseries(table);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['time', 'TEMP', 'PRES', 'cbwd=NW', 'cbwd=SE', 'cbwd=cv']);
    expect(times(table)).toEqual(Array.from({ length: 6 }, (_, h) => Date.UTC(2010, 0, 1, h)));
    expect(values(table, 'cbwd=NW')).toEqual([1, 0, 1, 1, 0, 0]);
    expect(values(table, 'cbwd=cv')).toEqual([0, 1, 0, 0, 0, 0]);
    expect(values(table, 'cbwd=SE')).toEqual([0, 0, 0, 0, 1, 1]);
  });

  it('fills missing cells: ffill (leading: first valid), interpolate (linear in time), drop, nan', async () => {
    const file = await writeFixture(dir, 'small.csv', SMALL);
    const ffill = await readWeatherCsv(file, { ...PRSA_OPTIONS, missing: 'ffill' });
    expect(values(ffill, 'TEMP')).toEqual([2, 2, 2, 2, 8, 8]);
    const interpolated = await readWeatherCsv(file, { ...PRSA_OPTIONS, missing: 'interpolate' });
    expect(values(interpolated, 'TEMP')).toEqual([2, 2, 4, 6, 8, 8]);
    const dropped = await readWeatherCsv(file, { ...PRSA_OPTIONS, missing: 'drop' });
    expect(values(dropped, 'TEMP')).toEqual([2, 8]);
    expect(times(dropped)).toEqual([Date.UTC(2010, 0, 1, 1), Date.UTC(2010, 0, 1, 4)]);
    const report = readJsonMeta<MissingReport>(dropped, 'seqlearn.missing')!;
    expect(report).toMatchObject({ policy: 'drop', rowsRead: 6, rowsKept: 2, missingCells: { TEMP: 4, PRES: 0, cbwd: 1 } });
    const nan = await readWeatherCsv(file, { ...PRSA_OPTIONS, missing: 'nan' });
    expect(values(nan, 'TEMP').map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual(['NaN', 2, 'NaN', 'NaN', 8, 'NaN']);
  });

  it('interpolates by time, not by row, across an irregular gap', async () => {
    const file = await writeFixture(dir, 'gap.csv', 'date,x\n2010-01-01 00:00,0\n2010-01-01 01:00,NA\n2010-01-01 04:00,8\n');
    const table = await readWeatherCsv(file, { time: { column: 'date' }, missing: 'interpolate' });
    expect(values(table, 'x')).toEqual([0, 2, 8]);
  });

  const bad: [string, string, WeatherCsvOptions, number | undefined, string | undefined, RegExp][] = [
    ['a missing column', 'year,month,day,TEMP\n2010,1,1,3\n', PRSA_OPTIONS, 1, 'hour', /missing time column "hour"/],
    [
      'a ragged row',
      'No,year,month,day,hour,TEMP,cbwd\n1,2010,1,1,0,3,NW\n2,2010,1,1,1,4\n',
      PRSA_OPTIONS,
      3,
      undefined,
      /ragged row: 6 fields, the header has 7/,
    ],
    [
      'an unparsable number',
      'No,year,month,day,hour,TEMP,cbwd\n1,2010,1,1,0,3,NW\n2,2010,1,1,1,4.2.1,NW\n',
      PRSA_OPTIONS,
      3,
      'TEMP',
      /"4\.2\.1" is not a number/,
    ],
    [
      'an undeclared text column',
      'No,year,month,day,hour,TEMP,cbwd\n1,2010,1,1,0,3,NW\n',
      { ...PRSA_OPTIONS, categorical: [] },
      2,
      'cbwd',
      /column "cbwd" must be numeric, or be declared in the categorical option/,
    ],
    [
      'an impossible date',
      'No,year,month,day,hour,TEMP,cbwd\n1,2010,2,30,0,3,NW\n',
      PRSA_OPTIONS,
      2,
      'year',
      /month=2, day=30, hour=0 is not a valid date/,
    ],
    [
      'a bad date text',
      'date,x\n2010-13-01 00:00,1\n',
      { time: { column: 'date' } },
      2,
      'date',
      /is not a date in the format yyyy-mm-dd hh:mm:ss/,
    ],
  ];
  it.each(bad)('%s is a CsvError naming file, line and column', async (_what, content, options, line, column, message) => {
    const file = await writeFixture(dir, 'bad.csv', content);
    const error = await readWeatherCsv(file, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvError);
    expect((error as CsvError).file).toBe(file);
    expect((error as CsvError).line).toBe(line);
    expect((error as CsvError).column).toBe(column);
    expect((error as CsvError).message).toMatch(message);
  });
});

describe.skipIf(!hasShared)('weather CSV: the real PRSA_data_2010.1.1-2014.12.31.csv', () => {
  if (!hasShared) console.warn(SKIP_WITHOUT_SHARED);
  const path = sharedDataPath('PRSA_data_2010.1.1-2014.12.31.csv');

  it('loads 43,824 rows with ffill and interpolate, and 43,824 − 2,067 with drop', async () => {
    // An independent reading of the file with plain string splitting, to check against.
    const lines = (await readFile(path, 'utf8'))
      .split('\r\n')
      .filter((l) => l.length > 0)
      .slice(1)
      .map((l) => l.split(','));
    const pm = lines.map((c) => c[5]);
    const naRows = pm.filter((v) => v === 'NA').length;
    expect(lines.length).toBe(43_824);
    expect(naRows).toBe(2_067);
    const firstValid = Number(pm.find((v) => v !== 'NA'));

    for (const missing of ['ffill', 'interpolate'] as const) {
      const table = await readWeatherCsv(path, { ...PRSA_OPTIONS, missing });
      validateTimeseries(table);
      expect(table.numRows).toBe(43_824);
      const pm25 = values(table, 'pm2.5');
      expect(pm25.some(Number.isNaN)).toBe(false);
      // Leading NAs take the first valid reading; every reading present is kept as is.
      const lead = pm.findIndex((v) => v !== 'NA');
      expect(lead).toBeGreaterThan(0);
      expect(pm25.slice(0, lead)).toEqual(Array(lead).fill(firstValid));
      expect(pm25.filter((_, i) => pm[i] !== 'NA')).toEqual(pm.filter((v) => v !== 'NA').map((v) => Math.fround(Number(v))));
      expect(values(table, 'TEMP')).toEqual(lines.map((c) => Math.fround(Number(c[7]))));
      for (const category of ['NE', 'NW', 'SE', 'cv']) {
        expect(values(table, `cbwd=${category}`)).toEqual(lines.map((c) => (c[9] === category ? 1 : 0)));
      }
      const time = times(table);
      expect(time[0]).toBe(Date.UTC(2010, 0, 1, 0));
      expect(time[time.length - 1]).toBe(Date.UTC(2014, 11, 31, 23));
    }
    const dropped = await readWeatherCsv(path, { ...PRSA_OPTIONS, missing: 'drop' });
    expect(dropped.numRows).toBe(43_824 - naRows);
  });
});

describe('weather CSV reader: no rows left', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir('csv-empty')));
  afterAll(() => cleanup());

  it('a header without rows is a CsvError naming the file', async () => {
    const file = await writeFixture(dir, 'header-only.csv', 'No,year,month,day,hour,pm2.5,DEWP,TEMP,PRES,cbwd,Iws,Is,Ir\r\n\r\n');
    for (const read of [() => readWeatherCsv(file, PRSA_OPTIONS), () => readPrsa(file), () => readSeriesCsv(file)]) {
      const error = await read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as CsvError).file).toBe(file);
      expect((error as Error).message).toMatch(/has a header but no data rows/);
    }
  });

  it('rows that the "drop" policy drops every one of are an InputError naming the file, not an empty table', async () => {
    const content =
      'No,year,month,day,hour,pm2.5,DEWP,TEMP,PRES,cbwd,Iws,Is,Ir\n1,2010,1,1,0,NA,-21,-11,1021,NW,1.79,0,0\n2,2010,1,1,1,NA,-21,-12,1020,NW,4.92,0,0\n';
    const file = await writeFixture(dir, 'all-na.csv', content);
    for (const read of [
      () => readWeatherCsv(file, { ...PRSA_OPTIONS, missing: 'drop' }),
      () => readPrsa(file, { missing: 'drop' }),
      () => readSeriesCsv(file, { missing: 'drop' }),
    ]) {
      const error = await read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as CsvError).file).toBe(file);
      expect((error as Error).message).toMatch(/every one of its 2 rows holds a missing cell and the "drop" policy dropped them all/);
    }
  });

  it('Jena rows whose every row holds the -9999 error value, with errorValues "drop"', async () => {
    const header = JENA_COLUMNS.join(',');
    const row = (t: string) => `${t},996.5,-8.02,265.4,-8.9,93.3,3.33,3.11,0.22,1.94,3.12,1307.75,-9999.0,1.75,152.3`;
    const file = await writeFixture(dir, 'jena-errors.csv', `${header}\n${row('01.01.2009 00:10:00')}\n${row('01.01.2009 00:20:00')}\n`);
    expect((await readJenaClimate(file)).numRows).toBe(2);
    const error = await readJenaClimate(file, { errorValues: 'drop' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as CsvError).file).toBe(file);
    expect((error as Error).message).toMatch(/every one of its 2 rows holds a error value \(-9999\)/);
  });
});
