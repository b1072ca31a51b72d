import type { Table } from 'apache-arrow';
import { columnValues, featureNames } from '@seqlearn/dataset';
import { writeCsv } from './held-out.js';

/** What a series bundle keeps of the file's layout, so files of the same shape can be scored later. */
export interface SeriesColumns {
  /** The name the time column had (a single column), or `time` when the time came from calendar columns. */
  timeColumn: string;
  /** One-hot encoded text columns and their categories, as the reader recorded them. */
  categorical: Record<string, string[]>;
}

export function seriesColumns(table: Table): SeriesColumns {
  const meta = table.schema.metadata;
  const time = meta.get('seqlearn.time');
  let timeColumn = 'time';
  if (time !== undefined) {
    const info = JSON.parse(time) as { columns?: unknown };
    if (Array.isArray(info.columns) && info.columns.length === 1 && typeof info.columns[0] === 'string') timeColumn = info.columns[0];
  }
  const categorical = JSON.parse(meta.get('seqlearn.categorical') ?? '{}') as Record<string, string[]>;
  return { timeColumn, categorical };
}

/** Wall-clock times were read as UTC; they go out the same way, without a zone. */
const wallClock = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/\.000Z$/, '')
    .replace(/Z$/, '');

/**
 * Rows `[from, to)` of a series table as a CSV a user could have written: the time column,
 * the numeric columns, and each one-hot group folded back into its text column. Numbers get
 * nine significant digits, enough for a float32 to read back as the same value.
 */
export function writeSeriesCsv(path: string, table: Table, [from, to]: readonly [number, number]): void {
  const { timeColumn, categorical } = seriesColumns(table);
  const oneHot = new Set(Object.entries(categorical).flatMap(([name, values]) => values.map((v) => `${name}=${v}`)));
  const numeric = featureNames(table).filter((n) => !oneHot.has(n));
  const numericValues = numeric.map((n) => columnValues(table, n).values);
  const groups = Object.entries(categorical).map(([name, values]) => ({
    name,
    values,
    columns: values.map((v) => columnValues(table, `${name}=${v}`).values),
  }));
  const time = table.getChild('time')!;
  const rows: (string | number)[][] = [];
  for (let r = Math.max(0, from); r < to; r++) {
    const row: (string | number)[] = [wallClock(Number(time.get(r)))];
    for (const values of numericValues) row.push(Number(values[r].toPrecision(9)));
    for (const g of groups) {
      const hot = g.columns.findIndex((c) => c[r] === 1);
      row.push(hot < 0 ? '' : g.values[hot]);
    }
    rows.push(row);
  }
  writeCsv(path, [timeColumn, ...numeric, ...groups.map((g) => g.name)], rows);
}
