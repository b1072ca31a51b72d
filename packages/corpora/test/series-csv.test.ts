import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnValues, readJsonMeta, validateTimeseries } from '@seqlearn/dataset';
import { hasShared, sharedDataPath, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import {
  CorporaOptionError,
  CsvError,
  type GapReport,
  type ReadProgress,
  type MissingReport,
  readPrsa,
  readSeattleWeather,
  readSeriesCsv,
  readWeatherCsv,
  SeriesTimeError,
  type TimeReport,
} from '../src/index.js';
import { tempDir, writeFixture } from './archive-fixtures.js';

const times = (table: Table): number[] => Array.from(table.getChild('time')!.toArray() as ArrayLike<bigint | number>, Number);
const values = (table: Table, column: string): number[] => [...columnValues(table, column).values];
const names = (table: Table): string[] => table.schema.fields.map((f) => f.name);

/** One PRSA row, read with plain string splitting: an independent reading to check against. */
interface PrsaRow {
  year: number;
  month: number;
  day: number;
  hour: number;
  pm: string;
  dewp: number;
  temp: number;
  pres: number;
  cbwd: string;
  iws: number;
  is: number;
  ir: number;
  ms: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

async function failure<T extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(type);
  return error as T;
}

describe.skipIf(!hasShared)('readSeriesCsv on the real PRSA series, written out in other shapes', () => {
  if (!hasShared) console.warn(SKIP_WITHOUT_SHARED);
  const prsaPath = sharedDataPath('PRSA_data_2010.1.1-2014.12.31.csv');
  let dir: string;
  let cleanup: () => Promise<void>;
  let rows: PrsaRow[];

  /** A generic series CSV of `rows` with the renamed columns and a time column made by `time`. */
  const generic = (subset: PrsaRow[], time: (r: PrsaRow) => string, timeName = 'timestamp'): string =>
    [
      `${timeName},PM25,dew_point,temperature,pressure,wind_dir,wind_speed`,
      ...subset.map((r) => `${time(r)},${r.pm},${r.dewp},${r.temp},${r.pres},${r.cbwd},${r.iws}`),
    ].join('\n') + '\n';

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('series'));
    const lines = (await readFile(prsaPath, 'utf8'))
      .split('\r\n')
      .filter((l) => l.length > 0)
      .slice(1);
    rows = lines.map((line) => {
      const c = line.split(',');
      const [year, month, day, hour] = c.slice(1, 5).map(Number);
      return {
        year,
        month,
        day,
        hour,
        pm: c[5],
        dewp: Number(c[6]),
        temp: Number(c[7]),
        pres: Number(c[8]),
        cbwd: c[9],
        iws: Number(c[10]),
        is: Number(c[11]),
        ir: Number(c[12]),
        ms: Date.UTC(year, month - 1, day, hour),
      };
    });
    expect(rows.length).toBe(43_824);
  });
  afterAll(() => cleanup());

  it('ISO T timestamps: detects the column and its form, keeps every value, one-hot encodes the text column on its own', async () => {
    const subset = rows.slice(0, 2000);
    const file = await writeFixture(
      dir,
      'iso.csv',
      generic(subset, (r) => `${r.year}-${pad(r.month)}-${pad(r.day)}T${pad(r.hour)}:00:00`),
    );
    const table = await readSeriesCsv(file, { target: 'temperature' });
    validateTimeseries(table);
    const categories = [...new Set(subset.map((r) => r.cbwd))].sort();
    expect(names(table)).toEqual([
      'time',
      'PM25',
      'dew_point',
      'temperature',
      'pressure',
      'wind_speed',
      ...categories.map((c) => `wind_dir=${c}`),
    ]);
    expect(times(table)).toEqual(subset.map((r) => r.ms));
    expect(values(table, 'temperature')).toEqual(subset.map((r) => Math.fround(r.temp)));
    expect(values(table, 'wind_speed')).toEqual(subset.map((r) => Math.fround(r.iws)));
    for (const c of categories) expect(values(table, `wind_dir=${c}`)).toEqual(subset.map((r) => (r.cbwd === c ? 1 : 0)));
    const pm = values(table, 'PM25');
    subset.forEach((r, i) => r.pm !== 'NA' && expect(pm[i]).toBe(Math.fround(Number(r.pm))));
    expect(pm.some(Number.isNaN)).toBe(false);
    expect(readJsonMeta<TimeReport>(table, 'seqlearn.time')).toEqual({
      columns: ['timestamp'],
      format: 'YYYY-MM-DDTHH:mm:ss',
      intervalMs: 3_600_000,
    });
    expect(readJsonMeta<GapReport>(table, 'seqlearn.gaps')).toEqual({ intervalMs: 3_600_000, gaps: 0, rowsInserted: 0 });
    expect(readJsonMeta<Record<string, string[]>>(table, 'seqlearn.categorical')).toEqual({ wind_dir: categories });
    expect(readJsonMeta<MissingReport>(table, 'seqlearn.missing')!.missingCells.PM25).toBe(subset.filter((r) => r.pm === 'NA').length);
    expect(table.schema.metadata.get('seqlearn.target')).toBe('temperature');
    expect(table.schema.metadata.get('seqlearn.source')).toBe(file);
  });

  it('fills gaps in the step with interpolated rows, and counts them', async () => {
    const subset = rows.slice(3000, 4000);
    // Drop one hour at 100, three hours at 500..502: two gaps, four rows.
    const removed = new Set([100, 500, 501, 502]);
    const kept = subset.filter((_, i) => !removed.has(i));
    const file = await writeFixture(
      dir,
      'gaps.csv',
      generic(kept, (r) => `${r.year}-${pad(r.month)}-${pad(r.day)} ${pad(r.hour)}:00:00`),
    );
    const table = await readSeriesCsv(file);
    expect(table.numRows).toBe(subset.length);
    expect(times(table)).toEqual(subset.map((r) => r.ms));
    expect(readJsonMeta<GapReport>(table, 'seqlearn.gaps')).toEqual({ intervalMs: 3_600_000, gaps: 2, rowsInserted: 4 });
    const report = readJsonMeta<MissingReport>(table, 'seqlearn.missing')!;
    expect(report).toMatchObject({ rowsRead: kept.length, rowsKept: subset.length, rowsInserted: 4 });
    const temp = values(table, 'temperature');
    subset.forEach((r, i) => !removed.has(i) && expect(temp[i]).toBe(Math.fround(r.temp)));
    expect(temp[100]).toBe(Math.fround((subset[99].temp + subset[101].temp) / 2));
    for (const [k, i] of [500, 501, 502].entries()) {
      expect(temp[i]).toBeCloseTo(subset[499].temp + ((k + 1) / 4) * (subset[503].temp - subset[499].temp), 5);
    }
    // A category is carried forward into the inserted rows.
    expect(values(table, `wind_dir=${subset[99].cbwd}`)[100]).toBe(1);

    const error = await failure(readSeriesCsv(file, { gaps: 'error' }), SeriesTimeError);
    expect(error.line).toBe(2 + 100);
    expect(error.message).toMatch(/1 rows are missing between .* on line 101 and/);
    const kept2 = await readSeriesCsv(file, { gaps: 'keep' });
    expect(kept2.numRows).toBe(kept.length);
  });

  it('M/D/YYYY H:MM and D/M/YYYY H:MM are told apart from the data; all-ambiguous dates are refused', async () => {
    const subset = rows.slice(0, 24 * 40);
    const md = await readSeriesCsv(
      await writeFixture(
        dir,
        'md.csv',
        generic(subset, (r) => `${r.month}/${r.day}/${r.year} ${r.hour}:00`, 'Date'),
      ),
    );
    expect(times(md)).toEqual(subset.map((r) => r.ms));
    expect(readJsonMeta<TimeReport>(md, 'seqlearn.time')!.format).toBe('M/D/YYYY H:mm');
    const dm = await readSeriesCsv(
      await writeFixture(
        dir,
        'dm.csv',
        generic(subset, (r) => `${r.day}/${r.month}/${r.year} ${r.hour}:00:00`, 'date'),
      ),
    );
    expect(times(dm)).toEqual(subset.map((r) => r.ms));
    expect(readJsonMeta<TimeReport>(dm, 'seqlearn.time')!.format).toBe('D/M/YYYY H:mm:ss');

    const early = rows.filter((r) => r.day <= 12 && r.year === 2010 && r.month <= 2);
    const ambiguous = await writeFixture(
      dir,
      'ambiguous.csv',
      generic(early, (r) => `${r.month}/${r.day}/${r.year} ${r.hour}:00`, 'time'),
    );
    const refused = await failure(readSeriesCsv(ambiguous), CsvError);
    expect(refused.column).toBe('time');
    expect(refused.message).toMatch(
      /every date could be month first or day first .*timeFormat: "M\/D\/YYYY H:mm" or timeFormat: "D\/M\/YYYY H:mm"/,
    );
    const given = await readSeriesCsv(ambiguous, { timeFormat: 'M/D/YYYY H:mm', gaps: 'keep' });
    expect(times(given)).toEqual(early.map((r) => r.ms));
  });

  it('Unix seconds and milliseconds, DD.MM.YYYY, date-only daily rows, and an explicit UTC offset', async () => {
    const subset = rows.slice(10_000, 11_000);
    const unix = await readSeriesCsv(
      await writeFixture(
        dir,
        'unix.csv',
        generic(subset, (r) => String(r.ms / 1000), 'time'),
      ),
    );
    expect(times(unix)).toEqual(subset.map((r) => r.ms));
    expect(readJsonMeta<TimeReport>(unix, 'seqlearn.time')!.format).toBe('unix-seconds');
    const unixMs = await readSeriesCsv(
      await writeFixture(
        dir,
        'unix-ms.csv',
        generic(subset, (r) => String(r.ms), 'time'),
      ),
    );
    expect(times(unixMs)).toEqual(subset.map((r) => r.ms));
    expect(readJsonMeta<TimeReport>(unixMs, 'seqlearn.time')!.format).toBe('unix-ms');
    const dots = await readSeriesCsv(
      await writeFixture(
        dir,
        'dots.csv',
        generic(subset, (r) => `${pad(r.day)}.${pad(r.month)}.${r.year} ${pad(r.hour)}:00:00`, 'Date Time'),
      ),
    );
    expect(times(dots)).toEqual(subset.map((r) => r.ms));
    // Beijing is UTC+8: the same readings stamped in local time with their offset land on the same instants.
    const local = (r: PrsaRow): string => {
      const d = new Date(r.ms + 8 * 3_600_000);
      return `${d.toISOString().slice(0, 19)}+08:00`;
    };
    const offset = await readSeriesCsv(await writeFixture(dir, 'offset.csv', generic(subset, local, 'datetime')));
    expect(times(offset)).toEqual(subset.map((r) => r.ms));
    expect(readJsonMeta<TimeReport>(offset, 'seqlearn.time')!.format).toBe('YYYY-MM-DDTHH:mm:ss±HH:MM');

    const fraction = await readSeriesCsv(
      await writeFixture(
        dir,
        'fraction.csv',
        generic(subset, (r) => new Date(r.ms + 250).toISOString(), 'time'),
      ),
    );
    expect(times(fraction)).toEqual(subset.map((r) => r.ms + 250));
    expect(readJsonMeta<TimeReport>(fraction, 'seqlearn.time')!.format).toBe('YYYY-MM-DDTHH:mm:ss.SSSZ');
    const pattern = await readSeriesCsv(
      await writeFixture(
        dir,
        'pattern.csv',
        generic(subset, (r) => `${pad(r.day)}/${pad(r.month)}/${r.year} ${pad(r.hour)}h`, 'when'),
      ),
      { timeColumn: 'when', timeFormat: 'DD/MM/YYYY HHh' },
    );
    expect(times(pattern)).toEqual(subset.map((r) => r.ms));
    const calendar = await readSeriesCsv(prsaPath, {
      timeColumn: { year: 'year', month: 'month', day: 'day' },
      ignore: ['No', 'hour'],
      gaps: 'keep',
    }).catch((e: unknown) => e);
    // Without the hour, 24 rows share each day: a repeated time, named with both lines.
    expect(calendar).toBeInstanceOf(SeriesTimeError);
    expect((calendar as SeriesTimeError).line).toBe(3);
    expect((calendar as SeriesTimeError).message).toMatch(/time 2010-01-01T00:00:00Z repeats line 2/);

    // Daily means of a year, with one day left out.
    const days = new Map<string, number[]>();
    for (const r of rows.filter((x) => x.year === 2012)) {
      const key = `${r.year}-${pad(r.month)}-${pad(r.day)}`;
      days.set(key, [...(days.get(key) ?? []), r.temp]);
    }
    const daily = [...days].map(([date, temps]) => [date, temps.reduce((a, b) => a + b, 0) / temps.length] as const);
    const lines = ['date,mean_temp', ...daily.filter((_, i) => i !== 40).map(([d, t]) => `${d},${t}`)];
    const table = await readSeriesCsv(await writeFixture(dir, 'daily.csv', lines.join('\n')));
    expect(table.numRows).toBe(366);
    expect(readJsonMeta<GapReport>(table, 'seqlearn.gaps')).toEqual({ intervalMs: 86_400_000, gaps: 1, rowsInserted: 1 });
    expect(values(table, 'mean_temp')[40]).toBe(Math.fround((daily[39][1] + daily[41][1]) / 2));
  });

  it('calendar columns are found by name; features keeps only the columns asked for', async () => {
    const progress: ReadProgress[] = [];
    const table = await readSeriesCsv(prsaPath, {
      ignore: ['No'],
      features: ['pm2.5', 'cbwd'],
      target: 'TEMP',
      onProgress: (p) => progress.push(p),
    });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({
      bytesRead: progress.at(-1)!.totalBytes,
      totalBytes: progress.at(-1)!.totalBytes,
      records: rows.length,
    });
    expect(names(table)).toEqual(['time', 'pm2.5', 'TEMP', 'cbwd=NE', 'cbwd=NW', 'cbwd=SE', 'cbwd=cv']);
    expect(times(table)).toEqual(rows.map((r) => r.ms));
    expect(values(table, 'TEMP')).toEqual(rows.map((r) => Math.fround(r.temp)));
    expect(readJsonMeta<TimeReport>(table, 'seqlearn.time')!.columns).toEqual(['year', 'month', 'day', 'hour']);
  });

  it('readPrsa gives the table the app built with readWeatherCsv', async () => {
    const preset = await readPrsa(prsaPath);
    const legacy = await readWeatherCsv(prsaPath, {
      time: { columns: { year: 'year', month: 'month', day: 'day', hour: 'hour' } },
      categorical: ['cbwd'],
      ignore: ['No'],
      missing: 'interpolate',
    });
    expect(names(preset)).toEqual(names(legacy));
    for (const name of names(preset).slice(1)) expect(values(preset, name)).toEqual(values(legacy, name));
    expect(times(preset)).toEqual(times(legacy));
    expect(readJsonMeta<GapReport>(preset, 'seqlearn.gaps')).toEqual({ intervalMs: 3_600_000, gaps: 0, rowsInserted: 0 });
    expect(readJsonMeta<MissingReport>(preset, 'seqlearn.missing')!.missingCells['pm2.5']).toBe(rows.filter((r) => r.pm === 'NA').length);
  });

  it('names the line, the column and the cell of what is wrong', async () => {
    const subset = rows.slice(0, 50);
    const iso = (r: PrsaRow): string => `${r.year}-${pad(r.month)}-${pad(r.day)} ${pad(r.hour)}:00`;
    const write = (name: string, text: string): Promise<string> => writeFixture(dir, name, text);

    const noTime = await failure(readSeriesCsv(await write('no-time.csv', generic(subset, iso, 'when'))), CsvError);
    expect(noTime.message).toMatch(/no time column: .* the header has "when", "PM25".*; pass timeColumn/);
    expect((await readSeriesCsv(await write('when.csv', generic(subset, iso, 'when')), { timeColumn: 'when' })).numRows).toBe(50);

    const badCell = generic(subset, iso).replace(iso(subset[9]), "2010-01-01 9 o'clock");
    const cell = await failure(readSeriesCsv(await write('bad-cell.csv', badCell)), CsvError);
    expect(cell.line).toBe(11);
    expect(cell.column).toBe('timestamp');
    expect(cell.message).toMatch(/"2010-01-01 9 o'clock" is not a date in the format YYYY-MM-DD HH:mm/);

    const swapped = [...subset];
    [swapped[20], swapped[21]] = [swapped[21], swapped[20]];
    const earlier = await failure(readSeriesCsv(await write('earlier.csv', generic(swapped, iso))), SeriesTimeError);
    expect(earlier.line).toBe(23);
    expect(earlier.code).toBe('ERR_SERIES_TIME');
    expect(earlier.message).toMatch(/time 2010-01-01T20:00:00Z is earlier than 2010-01-01T21:00:00Z on line 22/);

    const doubled = [...subset.slice(0, 31), subset[30], ...subset.slice(31)];
    const duplicate = await failure(readSeriesCsv(await write('duplicate.csv', generic(doubled, iso))), SeriesTimeError);
    expect(duplicate.line).toBe(33);
    expect(duplicate.message).toMatch(/time 2010-01-02T06:00:00Z repeats line 32/);

    const offStep = generic(subset, iso).replace(iso(subset[40]), `${iso(subset[40]).slice(0, -5)}16:30`);
    const irregular = await failure(readSeriesCsv(await write('off-step.csv', offStep)), SeriesTimeError);
    expect(irregular.line).toBe(42);
    expect(irregular.message).toMatch(/not a whole number of steps of 3600 s/);

    const typo = generic(subset, iso).replace(iso(subset[49]), '2100-01-01 00:00');
    const farOff = await failure(readSeriesCsv(await write('typo.csv', typo)), SeriesTimeError);
    expect(farOff.line).toBe(51);
    expect(farOff.message).toMatch(/filling the gaps would insert \d+ rows into 50; .* check that time, or pass gaps: 'keep'/);

    const text = generic(subset, iso).replace(`,${subset[5].dewp},`, ',n/a?,');
    const nonNumeric = await failure(readSeriesCsv(await write('text-cell.csv', text)), CsvError);
    expect(nonNumeric.line).toBe(7);
    expect(nonNumeric.column).toBe('dew_point');
    expect(nonNumeric.message).toMatch(/a series with a non-numeric cell: "n\/a\?" in column "dew_point"/);

    const notes = ['timestamp,temperature,note', ...rows.slice(0, 80).map((r, i) => `${iso(r)},${r.temp},note number ${i}`)].join('\n');
    const manyTexts = await failure(readSeriesCsv(await write('notes.csv', notes)), CsvError);
    expect(manyTexts.column).toBe('note');
    expect(manyTexts.message).toMatch(/more than 50 distinct values/);
    expect(names(await readSeriesCsv(await write('notes.csv', notes), { ignore: ['note'] }))).toEqual(['time', 'temperature']);

    const noTarget = await failure(readSeriesCsv(await write('ok.csv', generic(subset, iso)), { target: 'TEMP' }), CsvError);
    expect(noTarget.message).toMatch(/missing target column "TEMP"; the header has/);
    const textTarget = await failure(readSeriesCsv(await write('ok.csv', generic(subset, iso)), { target: 'wind_dir' }), CsvError);
    expect(textTarget.message).toMatch(/target "wind_dir" holds text .*expected a numeric column/);
    await expect(readSeriesCsv(await write('ok.csv', generic(subset, iso)), { timeFormat: 'HH:mm' })).rejects.toThrow(CorporaOptionError);
    const headerOnly = await failure(readSeriesCsv(await write('header.csv', 'time,x\n')), CsvError);
    expect(headerOnly.message).toMatch(/has a header but no data rows/);
  });
});

/** vega-datasets' seattle-weather.csv, installed beside the repository for the app. */
function findSeattle(): string | undefined {
  const store = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'node_modules', '.pnpm');
  if (!existsSync(store)) return undefined;
  const pkg = readdirSync(store).find((d) => d.startsWith('vega-datasets@'));
  const path = pkg && join(store, pkg, 'node_modules', 'vega-datasets', 'data', 'seattle-weather.csv');
  return path && existsSync(path) ? path : undefined;
}

const seattle = findSeattle();
describe.skipIf(seattle === undefined)("readSeattleWeather on vega-datasets' seattle-weather.csv", () => {
  if (seattle === undefined) console.warn('skipped: vega-datasets is not installed (pnpm install at the repository root)');

  it('reads the daily rows with weather one-hot encoded', async () => {
    const lines = (await readFile(seattle!, 'utf8'))
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(','));
    const table = await readSeattleWeather(seattle!);
    expect(table.numRows).toBe(lines.length);
    expect(times(table)).toEqual(lines.map((c) => Date.parse(`${c[0]}T00:00:00Z`)));
    expect(values(table, 'temp_max')).toEqual(lines.map((c) => Math.fround(Number(c[2]))));
    const kinds = [...new Set(lines.map((c) => c[5]))].sort();
    expect(names(table).slice(5)).toEqual(kinds.map((k) => `weather=${k}`));
    for (const k of kinds) expect(values(table, `weather=${k}`)).toEqual(lines.map((c) => (c[5] === k ? 1 : 0)));
  });
});
