import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { stat } from 'node:fs/promises';
import type { Table } from 'apache-arrow';
import { parse } from 'csv-parse';
import { timeseriesTable } from '@seqlearn/dataset';
import type { ProgressCallback } from './archive.js';
import { ArchiveError, CorporaOptionError, CsvError, SeriesTimeError } from './errors.js';
import { fillColumn, type MissingPolicy } from './fill-missing.js';
import { TimeColumnProblem, TimeColumnReader } from './time-format.js';
import { type DateFormat, parseDate, wallClockMs } from './time-parse.js';
import { openZipMember } from './zip-entry.js';
import { growableFloat64, growableInt32, type Growable } from './growable.js';

/** Separate calendar columns that together give a row's time. */
export interface CalendarColumns {
  year: string;
  month: string;
  day: string;
  hour?: string;
  minute?: string;
  second?: string;
}

export interface SeriesCsvOptions {
  /**
   * Where a row's time comes from: one column, or calendar columns. Default: a column named
   * (any case) `time`, `date`, `datetime`, `timestamp`, `date time` or `date_time`, else
   * `year` + `month` + `day` (+ `hour`, `minute`, `second`) columns.
   */
  timeColumn?: string | CalendarColumns;
  /**
   * The time column's format, when detection is not wanted or cannot decide: a pattern of
   * `YYYY`, `MM`/`M`, `DD`/`D`, `HH`/`H`, `mm`, `ss`, `SSS` and literal characters (e.g.
   * `D/M/YYYY H:mm`), or `unix-seconds` / `unix-ms`.
   */
  timeFormat?: string;
  /** The column to forecast: it must exist and be numeric; recorded as `seqlearn.target`. */
  target?: string;
  /** Keep only these columns (plus the target). */
  features?: readonly string[];
  /** Text columns to one-hot encode as `name=value` Float32 columns (values sorted). */
  categorical?: readonly string[];
  /** Columns to leave out. */
  ignore?: readonly string[];
  /** What to do with missing cells and inserted gap rows (default `interpolate`). */
  missing?: MissingPolicy;
  /** Rows missing from a regular step: `fill` (default) inserts them, `error` refuses them, `keep` leaves the rows as they are and checks nothing about the step. */
  gaps?: 'fill' | 'error' | 'keep';
  /** Cell texts that mean "missing" (default `''`, `NA`, `N/A`, `NaN`, `nan`, `null`). */
  naValues?: readonly string[];
  /** Numbers that mean "instrument error" (Jena's -9999) and what to do with them. */
  sentinels?: { values: readonly number[]; policy: MissingPolicy };
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
  /** Missing cells per column, before filling (inserted gap rows not counted). */
  missingCells: Record<string, number>;
  sentinels?: { values: number[]; policy: MissingPolicy; cells: Record<string, number> };
  /** Rows read from the file and rows kept. */
  rowsRead: number;
  rowsKept: number;
  /** Rows inserted where the regular step had gaps (see `seqlearn.gaps`). */
  rowsInserted?: number;
}

/** The regular step and the gaps in it, stored as `seqlearn.gaps` metadata. */
export interface GapReport {
  /** The most common difference between consecutive rows. */
  intervalMs: number;
  /** Runs of missing steps. */
  gaps: number;
  /** Rows inserted to fill them. */
  rowsInserted: number;
}

/** How the time was read, stored as `seqlearn.time` metadata. */
export interface TimeReport {
  columns: string[];
  format: string;
  intervalMs: number | null;
}

/** The internal spec readWeatherCsv and the presets use beyond the public options. */
export interface SeriesEngineOptions extends SeriesCsvOptions {
  /** Columns the file must have, e.g. a known data set's header. */
  require?: readonly string[];
  /** Old behaviour: only declared categorical columns, the first text cell in another column is an error. */
  strictColumns?: boolean;
  /** Old behaviour: a legacy date format (`yyyy-mm-dd hh:mm:ss` default, or `dd.mm.yyyy hh:mm:ss`). */
  legacyDateFormat?: DateFormat;
  /** Old behaviour: do not check the order of the times. */
  uncheckedOrder?: boolean;
}

interface Where {
  file: string;
  entry?: string;
}

const DEFAULT_NA = ['', 'NA', 'N/A', 'NaN', 'nan', 'null'];
// Plain decimal or exponent notation; Number('') or Number('0x1A') would be too forgiving.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const UNIT = /^(.*\S)\s*\(([^()]*)\)$/;
/** Above this many distinct values a text column is not taken for a category on its own. */
const MAX_AUTO_CATEGORIES = 50;
const TIME_NAMES = ['time', 'date', 'datetime', 'timestamp', 'date time', 'date_time'];
const POLICIES = ['drop', 'ffill', 'interpolate', 'nan', 'zero', 'keep'];

const MISSING_CELL = 1;
const SENTINEL_CELL = 2;
const GAP_CELL = 3;

/** One value column while streaming: numbers, or category codes, decided at the end for undeclared columns. */
interface ColumnState {
  name: string;
  index: number;
  declared: boolean;
  /** A number, a category code (text cells), or NaN (missing). */
  values: Growable<Float64Array>;
  /** Rows of missing (1), sentinel (2) and inserted (3) cells. */
  flagged: Map<number, number>;
  categories: Map<string, number>;
  numberCells: number;
  textCells: number;
  firstText?: { row: number; cell: string };
  firstNumber?: { row: number; cell: string };
}

interface FinalColumn {
  name: string;
  kind: 'numeric' | 'categorical';
  values: Float64Array;
  flagged: Map<number, number>;
  categories: Map<string, number>;
}

type TimeSource = { kind: 'column'; column: string } | { kind: 'calendar'; columns: CalendarColumns };

function checkPolicy(policy: string, what: string): void {
  if (!POLICIES.includes(policy)) {
    throw new CorporaOptionError(`${what} policy "${policy}" does not exist; expected drop, ffill, interpolate, nan, zero or keep`);
  }
}

const quoted = (names: readonly string[]): string => names.map((h) => `"${h}"`).join(', ');

function requireColumns(at: Where, header: string[], names: readonly string[], role: string): void {
  for (const name of names) {
    if (!header.includes(name)) {
      throw new CsvError({ ...at, line: 1, column: name }, `missing ${role} column "${name}"; the header has ${quoted(header)}`);
    }
  }
}

function calendarNames(c: CalendarColumns): string[] {
  return [c.year, c.month, c.day, c.hour, c.minute, c.second].filter((n): n is string => n !== undefined);
}

/** The time column(s) named in the options, or found by name in the header. */
function resolveTime(at: Where, header: string[], option: SeriesCsvOptions['timeColumn']): TimeSource {
  if (typeof option === 'string') {
    requireColumns(at, header, [option], 'time');
    return { kind: 'column', column: option };
  }
  if (option !== undefined) {
    requireColumns(at, header, calendarNames(option), 'time');
    return { kind: 'calendar', columns: option };
  }
  const lower = header.map((h) => h.trim().toLowerCase());
  const single = header.find((_, i) => TIME_NAMES.includes(lower[i]));
  if (single !== undefined) return { kind: 'column', column: single };
  const named = (name: string): string | undefined => header[lower.indexOf(name)];
  const [year, month, day] = [named('year'), named('month'), named('day')];
  if (year !== undefined && month !== undefined && day !== undefined) {
    const columns: CalendarColumns = { year, month, day };
    for (const part of ['hour', 'minute', 'second'] as const) {
      const name = named(part);
      if (name !== undefined) columns[part] = name;
    }
    return { kind: 'calendar', columns };
  }
  throw new CsvError(
    { ...at, line: 1 },
    `no time column: expected one named time, date, datetime, timestamp or "Date Time", or year, month and day columns; the header has ${quoted(header)}; pass timeColumn`,
  );
}

/** A CSV member of a zip, not a macOS resource fork (`__MACOSX/._name.csv`) that zips made on a Mac carry. */
function isCsvMember(name: string): boolean {
  return /\.csv$/i.test(name) && !/(^|\/)(__MACOSX\/|\._)/.test(name);
}

/** A csv-parse failure (ragged row, bad quoting) as a CsvError with the file and line. */
function csvParseError(at: Where, error: unknown): CsvError {
  const e = error as { code?: string; lines?: number; message?: string; record?: unknown[] };
  const line = typeof e.lines === 'number' ? e.lines : undefined;
  let message = e.message ?? String(error);
  if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || e.code === 'CSV_INCONSISTENT_RECORD_LENGTH') {
    message = `ragged row: ${Array.isArray(e.record) ? e.record.length : '?'} fields, the header has ${message.match(/expect(?:ed)? (\d+)/)?.[1] ?? 'a different number of'}`;
  }
  return new CsvError(line === undefined ? at : { ...at, line }, message, { cause: error });
}

function calendarField(at: Where, line: number, name: string, text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new CsvError({ ...at, line, column: name }, `"${text}" is not an integer; expected a calendar field`);
  return Number(text);
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Reads any regular series CSV (hourly, daily, every 10 minutes…) into a timeseries table:
 * `time` (Timestamp<MILLISECOND>, the wall clock taken as UTC; an explicit offset is converted
 * to UTC), one Float32 column per numeric column, and one-hot `name=value` Float32 columns for
 * categorical ones (declared, or any column whose cells are all text with at most 50 distinct
 * values).
 *
 * The time column and its form are detected unless given (ISO 8601, `YYYY-MM-DD HH:MM:SS`,
 * `M/D/YYYY H:MM` or `D/M/YYYY H:MM` as the data decides, `DD.MM.YYYY HH:MM:SS`, Unix seconds or
 * milliseconds, or year/month/day/hour columns). Times must increase; the step is the most
 * common difference between rows, and rows missing from it are inserted and filled by the
 * `missing` policy (reported in `seqlearn.gaps`). The CSV is streamed (csv-parse); only the
 * column values are held.
 *
 * Metadata: `seqlearn.source`, `seqlearn.time`, `seqlearn.missing`, `seqlearn.gaps`,
 * `seqlearn.categorical`, and `seqlearn.target` when a target is given.
 */
export async function readSeriesCsv(file: string, options: SeriesCsvOptions = {}): Promise<Table> {
  return readSeriesEngine(file, options);
}

/** The reader behind readSeriesCsv, readWeatherCsv and the presets. */
export async function readSeriesEngine(file: string, options: SeriesEngineOptions): Promise<Table> {
  const policy = options.missing ?? 'interpolate';
  checkPolicy(policy, 'missing');
  if (options.sentinels) checkPolicy(options.sentinels.policy, 'sentinel');
  const gapsMode = options.gaps ?? 'fill';
  if (!['fill', 'error', 'keep'].includes(gapsMode))
    throw new CorporaOptionError(`gaps "${String(gapsMode)}" does not exist; expected fill, error or keep`);
  const naValues = new Set(options.naValues ?? DEFAULT_NA);
  const sentinelValues = new Set(options.sentinels?.values ?? []);
  const categorical = new Set(options.categorical ?? []);
  const ignore = new Set(options.ignore ?? []);
  const { size: fileBytes } = await stat(file).catch(() => {
    throw new CsvError({ file }, 'does not exist');
  });
  // A .zip (such as the official jena_climate_2009_2016.csv.zip) is streamed from its CSV member.
  const zipped = /\.zip$/i.test(file)
    ? await openZipMember(
        file,
        (name) => (options.zipEntry === undefined ? isCsvMember(name) : name === options.zipEntry),
        options.zipEntry ?? 'CSV member',
      )
    : undefined;
  const at: Where = zipped ? { file, entry: zipped.name } : { file };
  const totalBytes = zipped ? zipped.size : fileBytes;
  const source: Readable = zipped ? zipped.stream : createReadStream(file);
  let bytesRead = 0;
  source.on('data', (chunk: Buffer) => (bytesRead += chunk.length));
  const parser = source.pipe(parse({ bom: true, trim: true, skip_empty_lines: true, info: true, delimiter: options.delimiter ?? ',' }));
  source.on('error', (error) => parser.destroy(error));

  let header: string[] | undefined;
  const columns: ColumnState[] = [];
  let timeSource: TimeSource | undefined;
  let timeNames: string[] = [];
  let timeIndex: number[] = [];
  let timeReader: TimeColumnReader | undefined;
  let calendar: CalendarColumns | undefined;
  const calendarTime = growableFloat64();
  const lines = growableInt32();
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
        timeSource = resolveTime(at, header, options.timeColumn);
        timeNames = timeSource.kind === 'column' ? [timeSource.column] : calendarNames(timeSource.columns);
        requireColumns(at, header, [...categorical], 'categorical');
        requireColumns(at, header, [...ignore], 'ignored');
        requireColumns(at, header, options.require ?? [], 'required');
        if (options.target !== undefined) requireColumns(at, header, [options.target], 'target');
        if (options.features !== undefined) requireColumns(at, header, options.features, 'feature');
        const keep =
          options.features === undefined
            ? undefined
            : new Set([...options.features, ...(options.target === undefined ? [] : [options.target])]);
        timeIndex = timeNames.map((n) => header!.indexOf(n));
        if (timeSource.kind === 'calendar') calendar = timeSource.columns;
        if (timeSource.kind === 'column' && options.legacyDateFormat === undefined) {
          try {
            timeReader = new TimeColumnReader(options.timeFormat);
          } catch (error) {
            if (error instanceof TimeColumnProblem) throw new CorporaOptionError(error.message);
            throw error;
          }
        }
        header.forEach((name, index) => {
          if (timeNames.includes(name) || ignore.has(name) || (keep !== undefined && !keep.has(name))) return;
          columns.push({
            name,
            index,
            declared: categorical.has(name),
            values: growableFloat64(),
            flagged: new Map(),
            categories: new Map(),
            numberCells: 0,
            textCells: 0,
          });
        });
        if (options.target !== undefined && !columns.some((c) => c.name === options.target)) {
          throw new CsvError(
            { ...at, line: 1, column: options.target },
            `target "${options.target}" is a time or ignored column; expected a numeric value column`,
          );
        }
        continue;
      }
      lines.push(line);
      if (calendar !== undefined) {
        calendarTime.push(calendarTimeOf(at, line, record, timeIndex, timeNames, calendar));
      } else if (timeReader) {
        const problem = timeReader.push(record[timeIndex[0]], rows);
        if (problem) throw new CsvError({ ...at, line, column: timeNames[0] }, problem.message);
      } else {
        const text = record[timeIndex[0]];
        const format = options.legacyDateFormat!;
        const ms = parseDate(text, format);
        if (ms === undefined) throw new CsvError({ ...at, line, column: timeNames[0] }, `"${text}" is not a date in the format ${format}`);
        calendarTime.push(ms);
      }
      for (const column of columns) {
        const cell = record[column.index];
        if (naValues.has(cell)) {
          column.flagged.set(rows, MISSING_CELL);
          column.values.push(Number.NaN);
        } else if (column.declared) {
          let code = column.categories.get(cell);
          if (code === undefined) column.categories.set(cell, (code = column.categories.size));
          column.values.push(code);
        } else if (NUMBER.test(cell)) {
          const v = Number(cell);
          if (sentinelValues.has(v)) column.flagged.set(rows, SENTINEL_CELL);
          column.values.push(v);
          column.numberCells++;
          column.firstNumber ??= { row: rows, cell };
        } else if (options.strictColumns) {
          throw new CsvError(
            { ...at, line, column: column.name },
            `"${cell}" is not a number; column "${column.name}" must be numeric, or be declared in the categorical option to be one-hot encoded (or in ignore to be left out)`,
          );
        } else {
          column.textCells++;
          column.firstText ??= { row: rows, cell };
          let code = column.categories.get(cell);
          // Past the limit the column cannot be taken for a category, so its values stop mattering.
          if (code === undefined && column.categories.size <= MAX_AUTO_CATEGORIES)
            column.categories.set(cell, (code = column.categories.size));
          column.values.push(code ?? Number.NaN);
        }
      }
      rows++;
      if (options.onProgress && rows % 20_000 === 0) options.onProgress({ bytesRead, totalBytes, records: rows });
    }
  } catch (error) {
    source.destroy();
    if (error instanceof CsvError || error instanceof CorporaOptionError) throw error;
    if (
      error instanceof Error &&
      /invalid|unexpected|too many|truncat/i.test(error.message) &&
      zipped &&
      !(error as { code?: string }).code?.startsWith('CSV_')
    ) {
      throw new ArchiveError(at, `the zip member is truncated or corrupt (${error.message})`, { cause: error });
    }
    throw csvParseError(at, error);
  } finally {
    zipped?.close();
  }
  if (!header) throw new CsvError({ ...at, line: 1 }, 'is empty; expected a header line');
  if (rows === 0) throw new CsvError({ ...at, line: 1 }, 'has a header but no data rows');
  options.onProgress?.({ bytesRead: totalBytes, totalBytes, records: rows });
  const lineOf = lines.view();

  let time: Float64Array;
  let format: string;
  if (timeReader) {
    const result = timeReader.finish();
    if (result instanceof TimeColumnProblem) {
      throw new CsvError(
        result.row === undefined ? { ...at, column: timeNames[0] } : { ...at, line: lineOf[result.row], column: timeNames[0] },
        result.message,
      );
    }
    ({ time, format } = result);
  } else {
    time = calendarTime.view();
    format = calendar !== undefined ? timeNames.join('+') : options.legacyDateFormat!;
  }

  const final = columns.map((c) => decideColumn(at, c, lineOf, options.strictColumns === true));
  if (options.target !== undefined) {
    const target = final.find((c) => c.name === options.target)!;
    if (target.kind !== 'numeric')
      throw new CsvError(
        { ...at, column: target.name },
        `target "${target.name}" holds text (${quoted([...target.categories.keys()].slice(0, 5))}…); expected a numeric column`,
      );
  }

  let gapReport: GapReport | undefined;
  let intervalMs: number | null = null;
  if (!options.uncheckedOrder) checkOrder(at, time, lineOf, timeNames[0]);
  if (gapsMode !== 'keep' && !options.uncheckedOrder && rows > 1) {
    const step = regularStep(at, time, lineOf, timeNames[0], gapsMode);
    intervalMs = step.intervalMs;
    gapReport = { intervalMs: step.intervalMs, gaps: step.gaps, rowsInserted: step.rowsInserted };
    if (step.rowsInserted > 0) {
      time = insertGapRows(time, final, step.intervalMs, step.rowsInserted);
    }
  } else if (rows > 1) {
    intervalMs = mostCommonStep(time);
  }

  const timeReport: TimeReport = { columns: timeNames, format, intervalMs };
  return assemble(at, rows, time, final, policy, options, timeReport, gapReport);
}

function calendarTimeOf(at: Where, line: number, record: string[], index: number[], names: string[], c: CalendarColumns): number {
  const parts = index.map((i, k) => calendarField(at, line, names[k], record[i]));
  const part = (name: string | undefined): number | undefined => (name === undefined ? undefined : parts[names.indexOf(name)]);
  const ms = wallClockMs(part(c.year)!, part(c.month)!, part(c.day)!, part(c.hour) ?? 0, part(c.minute) ?? 0, part(c.second) ?? 0);
  if (ms === undefined)
    throw new CsvError(
      { ...at, line, column: c.year },
      `${names.map((n, k) => `${n}=${parts[k]}`).join(', ')} is not a valid date and time`,
    );
  return ms;
}

/** Numeric or categorical, from what the column held; a column of both is an error at its odd cell. */
function decideColumn(at: Where, c: ColumnState, lineOf: Int32Array, strict: boolean): FinalColumn {
  const base = { name: c.name, values: c.values.view(), flagged: c.flagged, categories: c.categories };
  if (c.declared) return { ...base, kind: 'categorical' };
  if (c.textCells === 0 || strict) return { ...base, kind: 'numeric' };
  const hint = `list it in categorical to one-hot encode it, or in ignore to leave it out`;
  if (c.numberCells === 0) {
    if (c.categories.size > MAX_AUTO_CATEGORIES) {
      throw new CsvError(
        { ...at, column: c.name },
        `column "${c.name}" holds text with more than ${MAX_AUTO_CATEGORIES} distinct values, so it is neither a number nor a category; ${hint}`,
      );
    }
    return { ...base, kind: 'categorical' };
  }
  if (c.numberCells >= c.textCells) {
    const { row, cell } = c.firstText!;
    throw new CsvError(
      { ...at, line: lineOf[row], column: c.name },
      `a series with a non-numeric cell: "${cell}" in column "${c.name}", where ${c.numberCells} cells are numbers; expected a number or a missing value (${quoted(DEFAULT_NA.filter(Boolean))}, empty), or pass naValues`,
    );
  }
  const { row, cell } = c.firstNumber!;
  throw new CsvError(
    { ...at, line: lineOf[row], column: c.name },
    `column "${c.name}" holds text in ${c.textCells} cells but the number "${cell}" here; ${hint}`,
  );
}

function checkOrder(at: Where, time: Float64Array, lineOf: Int32Array, column: string): void {
  for (let i = 1; i < time.length; i++) {
    if (time[i] < time[i - 1]) {
      throw new SeriesTimeError(
        { ...at, line: lineOf[i], column },
        `time ${iso(time[i])} is earlier than ${iso(time[i - 1])} on line ${lineOf[i - 1]}; expected increasing times (sort the file by time)`,
      );
    }
    if (time[i] === time[i - 1]) {
      throw new SeriesTimeError(
        { ...at, line: lineOf[i], column },
        `time ${iso(time[i])} repeats line ${lineOf[i - 1]}; expected one row per time`,
      );
    }
  }
}

function mostCommonStep(time: Float64Array): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < time.length; i++) {
    const d = time[i] - time[i - 1];
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [d, n] of counts) {
    // Ties go to the smaller step, so a gap is never taken for the step.
    if (n > bestCount || (n === bestCount && d < best)) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

function regularStep(at: Where, time: Float64Array, lineOf: Int32Array, column: string, mode: 'fill' | 'error'): GapReport {
  const intervalMs = mostCommonStep(time);
  let gaps = 0;
  let rowsInserted = 0;
  let widest = { d: 0, row: 0 };
  for (let i = 1; i < time.length; i++) {
    const d = time[i] - time[i - 1];
    if (d === intervalMs) continue;
    if (d % intervalMs !== 0) {
      throw new SeriesTimeError(
        { ...at, line: lineOf[i], column },
        `time ${iso(time[i])} is ${d / 1000} s after ${iso(time[i - 1])} on line ${lineOf[i - 1]}, not a whole number of steps of ${intervalMs / 1000} s (the most common step); expected a regular series`,
      );
    }
    if (mode === 'error') {
      throw new SeriesTimeError(
        { ...at, line: lineOf[i], column },
        `${d / intervalMs - 1} rows are missing between ${iso(time[i - 1])} on line ${lineOf[i - 1]} and ${iso(time[i])}; expected a row every ${intervalMs / 1000} s (gaps: 'error')`,
      );
    }
    gaps++;
    rowsInserted += d / intervalMs - 1;
    if (d > widest.d) widest = { d, row: i };
  }
  // More invented rows than real ones is no longer a gap: most likely one mistyped time.
  if (rowsInserted > time.length) {
    const i = widest.row;
    throw new SeriesTimeError(
      { ...at, line: lineOf[i], column },
      `filling the gaps would insert ${rowsInserted} rows into ${time.length}; the widest gap, ${widest.d / intervalMs - 1} rows, ends here at ${iso(time[i])} after ${iso(time[i - 1])} on line ${lineOf[i - 1]}; check that time, or pass gaps: 'keep'`,
    );
  }
  return { intervalMs, gaps, rowsInserted };
}

/** The full regular timeline, with each column's values moved to their new rows and the new rows flagged. */
function insertGapRows(time: Float64Array, columns: FinalColumn[], intervalMs: number, inserted: number): Float64Array {
  const n = time.length + inserted;
  const full = new Float64Array(n);
  const position = new Int32Array(time.length);
  let k = 0;
  for (let i = 0; i < time.length; i++) {
    if (i > 0) for (let t = time[i - 1] + intervalMs; t < time[i]; t += intervalMs) full[k++] = t;
    position[i] = k;
    full[k++] = time[i];
  }
  const isNew = new Uint8Array(n).fill(1);
  for (const p of position) isNew[p] = 0;
  for (const column of columns) {
    const values = new Float64Array(n).fill(Number.NaN);
    const flagged = new Map<number, number>();
    for (let i = 0; i < position.length; i++) values[position[i]] = column.values[i];
    for (const [row, kind] of column.flagged) flagged.set(position[row], kind);
    for (let r = 0; r < n; r++) if (isNew[r]) flagged.set(r, GAP_CELL);
    column.values = values;
    column.flagged = flagged;
  }
  return full;
}

function assemble(
  at: Where,
  rowsRead: number,
  time: Float64Array,
  columns: FinalColumn[],
  policy: MissingPolicy,
  options: SeriesEngineOptions,
  timeReport: TimeReport,
  gapReport: GapReport | undefined,
): Table {
  const rows = time.length;
  const sentinelPolicy = options.sentinels?.policy ?? 'keep';
  const drop = new Uint8Array(rows);
  const report: MissingReport = { policy, missingCells: {}, rowsRead, rowsKept: 0 };
  if (gapReport) report.rowsInserted = gapReport.rowsInserted;
  if (options.sentinels) report.sentinels = { values: [...options.sentinels.values], policy: sentinelPolicy, cells: {} };

  for (const column of columns) {
    let missing = 0;
    let sentinel = 0;
    for (const [row, kind] of column.flagged) {
      if (kind === SENTINEL_CELL) {
        sentinel++;
        if (sentinelPolicy === 'drop') drop[row] = 1;
      } else {
        if (kind === MISSING_CELL) missing++;
        if (policy === 'drop') drop[row] = 1;
      }
    }
    report.missingCells[column.name] = missing;
    if (report.sentinels && column.kind === 'numeric') report.sentinels.cells[column.name] = sentinel;
  }

  // Fill over the rows that are kept, so interpolation never reaches across a dropped row's value.
  const kept: number[] = [];
  for (let i = 0; i < rows; i++) if (!drop[i]) kept.push(i);
  report.rowsKept = kept.length;
  if (kept.length === 0 && rows > 0) {
    const sentinels = `error value (${options.sentinels?.values.join(', ')})`;
    const why = policy !== 'drop' ? sentinels : sentinelPolicy === 'drop' ? `missing cell or ${sentinels}` : 'missing cell';
    throw new CsvError(
      at,
      `every one of its ${rows} rows holds a ${why} and the "drop" policy dropped them all, leaving no rows; ` +
        'use another missing-value policy (interpolate, ffill, nan or zero) or fix the file',
    );
  }
  const keptTime = Float64Array.from(kept, (i) => time[i]);
  const features: Record<string, Float32Array> = {};
  const units: Record<string, string> = {};
  const missingLike = (kind: number): boolean => kind === MISSING_CELL || kind === GAP_CELL;

  for (const column of columns.filter((c) => c.kind === 'numeric')) {
    const all = column.values;
    const values = Float64Array.from(kept, (i) => all[i]);
    const flag = (k: number): number => column.flagged.get(kept[k]) ?? 0;
    const isValid = (k: number): boolean => flag(k) === 0;
    const fills = [
      [(k: number) => flag(k) === SENTINEL_CELL, sentinelPolicy],
      [(k: number) => missingLike(flag(k)), policy === 'keep' ? 'nan' : policy],
    ] as const;
    for (const [isTarget, p] of fills) {
      if (p === 'drop') continue;
      const ok = fillColumn(values, keptTime, isTarget, isValid, p);
      if (!ok) throw new CsvError({ ...at, column: column.name }, `column "${column.name}" has no valid value to ${p} from`);
    }
    features[column.name] = Float32Array.from(values);
    const unit = UNIT.exec(column.name);
    if (unit) units[column.name] = unit[2];
  }

  const categoriesOf: Record<string, string[]> = {};
  for (const column of columns.filter((c) => c.kind === 'categorical')) {
    const all = column.values;
    const codes = Float64Array.from(kept, (i) => (Number.isNaN(all[i]) ? -1 : all[i]));
    if (policy === 'ffill' || policy === 'interpolate') {
      // A category cannot be interpolated: the nearest earlier one (or the first one) stands in.
      fillColumn(
        codes,
        keptTime,
        (k) => codes[k] === -1,
        (k) => codes[k] !== -1,
        'ffill',
      );
    }
    const names = [...column.categories.keys()].sort();
    categoriesOf[column.name] = names;
    for (const name of names) {
      const code = column.categories.get(name)!;
      features[`${column.name}=${name}`] = Float32Array.from(codes, (c) => (c === code ? 1 : 0));
    }
  }

  const metadata: Record<string, string> = {
    ...options.metadata,
    'seqlearn.source': at.entry === undefined ? at.file : `${at.file}:${at.entry}`,
    'seqlearn.missing': JSON.stringify(report),
    'seqlearn.categorical': JSON.stringify(categoriesOf),
    'seqlearn.time': JSON.stringify(timeReport),
  };
  if (gapReport) metadata['seqlearn.gaps'] = JSON.stringify(gapReport);
  if (options.target !== undefined) metadata['seqlearn.target'] = options.target;
  return timeseriesTable({ time: keptTime, features }, { units, metadata });
}
