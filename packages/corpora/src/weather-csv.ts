import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { stat } from 'node:fs/promises';
import type { Table } from 'apache-arrow';
import { parse } from 'csv-parse';
import { timeseriesTable } from '@seqlearn/dataset';
import type { ProgressCallback } from './archive.js';
import { ArchiveError, CorporaOptionError, CsvError } from './errors.js';
import { fillColumn, type MissingPolicy } from './fill-missing.js';
import { type DateFormat, parseDate, wallClockMs } from './time-parse.js';
import { openZipMember } from './zip-entry.js';

interface Where {
  file: string;
  entry?: string;
}

/** Where the time of a row comes from: separate calendar columns, or one date column. */
export type TimeSpec =
  | { columns: { year: string; month: string; day: string; hour?: string; minute?: string; second?: string } }
  | { column: string; format?: DateFormat };

export interface WeatherCsvOptions {
  time: TimeSpec;
  /** Text columns to one-hot encode, as `name=value` Float32 columns (values sorted). */
  categorical?: readonly string[];
  /** Columns to leave out (e.g. PRSA's row number `No`). The time columns are always left out. */
  ignore?: readonly string[];
  /** What to do with `NA` / empty cells (default `interpolate`). `keep` is the same as `nan`. */
  missing?: MissingPolicy;
  /** Cell texts that mean "missing" (default `''`, `NA`, `N/A`, `NaN`, `nan`, `null`). */
  naValues?: readonly string[];
  /** Numbers that mean "instrument error" (Jena's -9999) and what to do with them (default `keep`). */
  sentinels?: { values: readonly number[]; policy: MissingPolicy };
  /** Columns the file must have (beyond the time and categorical ones), e.g. a known data set's header. */
  require?: readonly string[];
  delimiter?: string;
  /** For a .zip: the member to read (default: the first `.csv` member). */
  zipEntry?: string;
  onProgress?: ProgressCallback;
  /** Extra schema metadata. */
  metadata?: Record<string, string>;
}

/** How missing and sentinel cells were handled, stored as `seqlearn.missing` metadata. */
export interface MissingReport {
  policy: MissingPolicy;
  /** Missing cells per column, before filling. */
  missingCells: Record<string, number>;
  sentinels?: { values: number[]; policy: MissingPolicy; cells: Record<string, number> };
  /** Rows read from the file and rows kept. */
  rowsRead: number;
  rowsKept: number;
}

const DEFAULT_NA = ['', 'NA', 'N/A', 'NaN', 'nan', 'null'];
// Plain decimal or exponent notation; Number('') or Number('0x1A') would be too forgiving.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const UNIT = /^(.*\S)\s*\(([^()]*)\)$/;

class GrowableFloat64 {
  data = new Float64Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

const MISSING_CELL = 1;
const SENTINEL_CELL = 2;

interface NumericColumn {
  name: string;
  index: number;
  values: GrowableFloat64;
  /** Row numbers of missing (1) and sentinel (2) cells. */
  flagged: Map<number, number>;
}

interface CategoricalColumn {
  name: string;
  index: number;
  codes: GrowableFloat64;
  categories: Map<string, number>;
}

function checkPolicy(policy: string, what: string): void {
  if (!['drop', 'ffill', 'interpolate', 'nan', 'zero', 'keep'].includes(policy)) {
    throw new CorporaOptionError(`${what} policy "${policy}" does not exist; expected drop, ffill, interpolate, nan, zero or keep`);
  }
}

function timeColumnNames(time: TimeSpec): string[] {
  if ('column' in time) return [time.column];
  const c = time.columns;
  return [c.year, c.month, c.day, c.hour, c.minute, c.second].filter((n): n is string => n !== undefined);
}

function requireColumns(at: Where, header: string[], names: readonly string[], role: string): void {
  for (const name of names) {
    if (!header.includes(name)) {
      throw new CsvError({ ...at, line: 1, column: name }, `missing ${role} column "${name}"; the header has ${header.map((h) => `"${h}"`).join(', ')}`);
    }
  }
}

/** A CSV member of a zip, not a macOS resource fork (`__MACOSX/._name.csv`) that zips made on a Mac carry. */
function isCsvMember(name: string): boolean {
  return /\.csv$/i.test(name) && !/(^|\/)(__MACOSX\/|\._)/.test(name);
}

/** A csv-parse failure (ragged row, bad quoting) as a CsvError with the file and line. */
function csvParseError(at: Where, error: unknown): CsvError {
  const e = error as { code?: string; lines?: number; message?: string; record?: unknown[]; columns?: unknown[] };
  const line = typeof e.lines === 'number' ? e.lines : undefined;
  let message = e.message ?? String(error);
  if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || e.code === 'CSV_INCONSISTENT_RECORD_LENGTH') {
    message = `ragged row: ${Array.isArray(e.record) ? e.record.length : '?'} fields, the header has ${message.match(/expect(?:ed)? (\d+)/)?.[1] ?? 'a different number of'}`;
  }
  return new CsvError(line === undefined ? at : { ...at, line }, message, { cause: error });
}

/**
 * Reads an hourly (or any regular) weather CSV into a timeseries table: `time` from calendar
 * columns or a date column, one Float32 column per numeric column, one-hot Float32 columns
 * for each declared categorical column, missing cells handled by a policy.
 * A column that holds text but is not declared categorical is a CsvError naming it.
 */
export async function readWeatherCsv(file: string, options: WeatherCsvOptions): Promise<Table> {
  const policy = options.missing ?? 'interpolate';
  checkPolicy(policy, 'missing');
  if (options.sentinels) checkPolicy(options.sentinels.policy, 'sentinel');
  const naValues = new Set(options.naValues ?? DEFAULT_NA);
  const sentinelValues = new Set(options.sentinels?.values ?? []);
  const categorical = new Set(options.categorical ?? []);
  const ignore = new Set(options.ignore ?? []);
  const timeNames = timeColumnNames(options.time);
  const { size: fileBytes } = await stat(file).catch(() => {
    throw new CsvError({ file }, 'does not exist');
  });
  // A .zip (such as the official jena_climate_2009_2016.csv.zip) is streamed from its CSV member.
  const zipped = /\.zip$/i.test(file)
    ? await openZipMember(file, (name) => (options.zipEntry === undefined ? isCsvMember(name) : name === options.zipEntry), options.zipEntry ?? 'CSV member')
    : undefined;
  const at: Where = zipped ? { file, entry: zipped.name } : { file };
  const totalBytes = zipped ? zipped.size : fileBytes;
  const source: Readable = zipped ? zipped.stream : createReadStream(file);
  let bytesRead = 0;
  source.on('data', (chunk: Buffer) => (bytesRead += chunk.length));
  const parser = source.pipe(parse({ bom: true, trim: true, skip_empty_lines: true, info: true, delimiter: options.delimiter ?? ',' }));
  source.on('error', (error) => parser.destroy(error));

  let header: string[] | undefined;
  const numeric: NumericColumn[] = [];
  const categories: CategoricalColumn[] = [];
  let timeIndex: number[] = [];
  const time = new GrowableFloat64();
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (!header) {
        header = record;
        const seen = new Set<string>();
        for (const name of header) {
          if (seen.has(name)) throw new CsvError({ ...at, line, column: name }, `column "${name}" appears twice in the header`);
          seen.add(name);
        }
        requireColumns(at, header, timeNames, 'time');
        requireColumns(at, header, [...categorical], 'categorical');
        requireColumns(at, header, [...ignore], 'ignored');
        requireColumns(at, header, options.require ?? [], 'required');
        timeIndex = timeNames.map((n) => header!.indexOf(n));
        header.forEach((name, index) => {
          if (timeNames.includes(name) || ignore.has(name)) return;
          if (categorical.has(name)) categories.push({ name, index, codes: new GrowableFloat64(), categories: new Map() });
          else numeric.push({ name, index, values: new GrowableFloat64(), flagged: new Map() });
        });
        continue;
      }
      time.push(rowTime(at, line, record, timeIndex, timeNames, options.time));
      for (const column of numeric) {
        const cell = record[column.index];
        if (naValues.has(cell)) {
          column.flagged.set(rows, MISSING_CELL);
          column.values.push(Number.NaN);
        } else if (NUMBER.test(cell)) {
          const v = Number(cell);
          if (sentinelValues.has(v)) column.flagged.set(rows, SENTINEL_CELL);
          column.values.push(v);
        } else {
          throw new CsvError({ ...at, line, column: column.name },
            `"${cell}" is not a number; column "${column.name}" must be numeric, or be declared in the categorical option to be one-hot encoded (or in ignore to be left out)`);
        }
      }
      for (const column of categories) {
        const cell = record[column.index];
        if (naValues.has(cell)) {
          column.codes.push(-1);
          continue;
        }
        let code = column.categories.get(cell);
        if (code === undefined) column.categories.set(cell, (code = column.categories.size));
        column.codes.push(code);
      }
      rows++;
      if (options.onProgress && rows % 20_000 === 0) options.onProgress({ bytesRead, totalBytes, records: rows });
    }
  } catch (error) {
    source.destroy();
    if (error instanceof CsvError) throw error;
    if (error instanceof Error && /invalid|unexpected|too many|truncat/i.test(error.message) && zipped && !(error as { code?: string }).code?.startsWith('CSV_')) {
      throw new ArchiveError(at, `the zip member is truncated or corrupt (${error.message})`, { cause: error });
    }
    throw csvParseError(at, error);
  } finally {
    zipped?.close();
  }
  if (!header) throw new CsvError({ ...at, line: 1 }, 'is empty; expected a header line');
  options.onProgress?.({ bytesRead: totalBytes, totalBytes, records: rows });
  return assemble(at, rows, time.view(), numeric, categories, policy, options);
}

function cellNumber(at: Where, line: number, name: string, text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new CsvError({ ...at, line, column: name }, `"${text}" is not an integer; expected a calendar field`);
  return Number(text);
}

function rowTime(at: Where, line: number, record: string[], index: number[], names: string[], spec: TimeSpec): number {
  if ('column' in spec) {
    const text = record[index[0]];
    const format = spec.format ?? 'yyyy-mm-dd hh:mm:ss';
    const ms = parseDate(text, format);
    if (ms === undefined) throw new CsvError({ ...at, line, column: spec.column }, `"${text}" is not a date in the format ${format}`);
    return ms;
  }
  const parts = index.map((i, k) => cellNumber(at, line, names[k], record[i]));
  const c = spec.columns;
  const part = (name: string | undefined): number | undefined => (name === undefined ? undefined : parts[names.indexOf(name)]);
  const ms = wallClockMs(part(c.year)!, part(c.month)!, part(c.day)!, part(c.hour) ?? 0, part(c.minute) ?? 0, part(c.second) ?? 0);
  if (ms === undefined) throw new CsvError({ ...at, line, column: c.year }, `${names.map((n, k) => `${n}=${parts[k]}`).join(', ')} is not a valid date and time`);
  return ms;
}

function assemble(
  at: Where, rowsRead: number, time: Float64Array, numeric: NumericColumn[], categories: CategoricalColumn[],
  policy: MissingPolicy, options: WeatherCsvOptions,
): Table {
  const sentinelPolicy = options.sentinels?.policy ?? 'keep';
  const drop = new Uint8Array(rowsRead);
  const report: MissingReport = { policy, missingCells: {}, rowsRead, rowsKept: 0 };
  if (options.sentinels) report.sentinels = { values: [...options.sentinels.values], policy: sentinelPolicy, cells: {} };

  for (const column of numeric) {
    let missing = 0;
    let sentinel = 0;
    for (const [row, kind] of column.flagged) {
      if (kind === MISSING_CELL) {
        missing++;
        if (policy === 'drop') drop[row] = 1;
      } else {
        sentinel++;
        if (sentinelPolicy === 'drop') drop[row] = 1;
      }
    }
    report.missingCells[column.name] = missing;
    if (report.sentinels) report.sentinels.cells[column.name] = sentinel;
  }
  for (const column of categories) {
    const codes = column.codes.view();
    let missing = 0;
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] !== -1) continue;
      missing++;
      if (policy === 'drop') drop[i] = 1;
    }
    report.missingCells[column.name] = missing;
  }

  // Fill over the rows that are kept, so interpolation never reaches across a dropped row's value.
  const kept: number[] = [];
  for (let i = 0; i < rowsRead; i++) if (!drop[i]) kept.push(i);
  report.rowsKept = kept.length;
  const keptTime = Float64Array.from(kept, (i) => time[i]);
  const features: Record<string, Float32Array> = {};
  const units: Record<string, string> = {};

  for (const column of numeric) {
    const all = column.values.view();
    const values = Float64Array.from(kept, (i) => all[i]);
    const flag = (k: number): number => column.flagged.get(kept[k]) ?? 0;
    const isValid = (k: number): boolean => flag(k) === 0;
    for (const [kind, p] of [[SENTINEL_CELL, sentinelPolicy], [MISSING_CELL, policy === 'keep' ? 'nan' : policy]] as const) {
      if (p === 'drop') continue;
      const ok = fillColumn(values, keptTime, (k) => flag(k) === kind, isValid, p);
      if (!ok) throw new CsvError({ ...at, column: column.name }, `column "${column.name}" has no valid value to ${p} from`);
    }
    features[column.name] = Float32Array.from(values);
    const unit = UNIT.exec(column.name);
    if (unit) units[column.name] = unit[2];
  }

  for (const column of categories) {
    const all = column.codes.view();
    const codes = Float64Array.from(kept, (i) => all[i]);
    if (policy === 'ffill' || policy === 'interpolate') {
      // A category cannot be interpolated: the nearest earlier one (or the first one) stands in.
      fillColumn(codes, keptTime, (k) => codes[k] === -1, (k) => codes[k] !== -1, 'ffill');
    }
    const names = [...column.categories.keys()].sort();
    for (const name of names) {
      const code = column.categories.get(name)!;
      features[`${column.name}=${name}`] = Float32Array.from(codes, (c) => (c === code ? 1 : 0));
    }
  }

  return timeseriesTable(
    { time: keptTime, features },
    {
      units,
      metadata: {
        ...options.metadata,
        'seqlearn.source': at.entry === undefined ? at.file : `${at.file}:${at.entry}`,
        'seqlearn.missing': JSON.stringify(report),
        'seqlearn.categorical': JSON.stringify(Object.fromEntries(categories.map((c) => [c.name, [...c.categories.keys()].sort()]))),
      },
    },
  );
}
