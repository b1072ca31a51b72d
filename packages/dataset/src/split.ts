import { Table } from 'apache-arrow';
import { DatasetError } from './errors.js';
import { shuffledIndices } from './random.js';
import { contiguous, takeRows } from './rows.js';

/** The rows in a seeded random order. */
export function shuffleTable(table: Table, seed: number): Table {
  return takeRows(table, shuffledIndices(table.numRows, seed));
}

/**
 * Splits rows into consecutive parts of the given fractions (which must add up to at
 * most 1; any remainder is dropped). With a `seed`, rows are shuffled first; without
 * one, the order is kept, so `[0.8, 0.2]` gives Keras's `validation_split` tail.
 * Part sizes are floored, except that fractions adding up to 1 cover every row.
 */
export function splitByFractions(table: Table, fractions: readonly number[], options: { seed?: number } = {}): Table[] {
  const total = fractions.reduce((a, b) => a + b, 0);
  if (fractions.length === 0 || fractions.some((f) => !(f >= 0)) || total > 1 + 1e-9) {
    throw new DatasetError(`fractions must be non-negative and add up to at most 1, got [${fractions.join(', ')}]`);
  }
  const n = table.numRows;
  const order = options.seed === undefined ? null : shuffledIndices(n, options.seed);
  const parts: Table[] = [];
  let start = 0;
  let cumulative = 0;
  fractions.forEach((fraction, i) => {
    cumulative += fraction;
    const isLast = i === fractions.length - 1;
    const end = isLast && Math.abs(total - 1) < 1e-9 ? n : Math.min(n, Math.floor(cumulative * n + 1e-9));
    const rows = new Int32Array(end - start);
    for (let k = 0; k < rows.length; k++) rows[k] = order ? order[start + k] : start + k;
    parts.push(order ? takeRows(table, rows) : contiguous(table.slice(start, end)));
    start = end;
  });
  return parts;
}

/** One table per distinct value of a string column (by default `split`), rows in their original order. */
export function splitByColumn(table: Table, column = 'split'): Map<string, Table> {
  const vector = table.getChild(column);
  if (!vector)
    throw new DatasetError(`no column "${column}" to split by; columns are ${table.schema.fields.map((f) => f.name).join(', ')}`);
  const groups = new Map<string, number[]>();
  for (let row = 0; row < table.numRows; row++) {
    const key = String(vector.get(row));
    let rows = groups.get(key);
    if (!rows) groups.set(key, (rows = []));
    rows.push(row);
  }
  return new Map([...groups].map(([key, rows]) => [key, takeRows(table, rows)]));
}
