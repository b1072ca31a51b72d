import type { Table } from 'apache-arrow';
import type { ProgressCallback } from './archive.js';
import type { MissingPolicy } from './fill-missing.js';
import { readSeriesEngine } from './series-csv.js';
import type { DateFormat } from './time-parse.js';

export type { MissingReport } from './series-csv.js';

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

/**
 * Reads an hourly (or any) weather CSV into a timeseries table: `time` from calendar columns or
 * a date column, one Float32 column per numeric column, one-hot Float32 columns for each declared
 * categorical column, missing cells handled by a policy. A column that holds text but is not
 * declared categorical is a CsvError naming it. Rows are kept as they are: neither their order
 * nor their step is checked.
 *
 * @deprecated Use `readSeriesCsv`, which detects the time column and its format, checks the
 * order and fills gaps in the step, and one-hot encodes text columns on its own.
 */
export async function readWeatherCsv(file: string, options: WeatherCsvOptions): Promise<Table> {
  const { time, ...rest } = options;
  return readSeriesEngine(file, {
    ...rest,
    ...('column' in time
      ? { timeColumn: time.column, legacyDateFormat: time.format ?? 'yyyy-mm-dd hh:mm:ss' }
      : { timeColumn: time.columns }),
    strictColumns: true,
    uncheckedOrder: true,
    gaps: 'keep',
  });
}
