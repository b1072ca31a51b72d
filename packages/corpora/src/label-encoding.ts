/** A label cell as read: CSV text, or a JSON string, number or boolean. */
export type LabelCell = string | number | boolean;

/** Label ids and their names, `labels[ids[row]]` being the row's label. */
export interface EncodedLabels {
  ids: Int32Array;
  labels: string[];
}

/** Where a label is not one of the fixed class names: the row index (0-based) and the label. */
export class UnknownLabel {
  constructor(
    readonly row: number,
    readonly label: string,
  ) {}
}

const INTEGER = /^[+-]?\d+$/;

function integerValue(cell: LabelCell): number | undefined {
  if (typeof cell === 'number') return Number.isSafeInteger(cell) ? cell : undefined;
  if (typeof cell === 'string' && INTEGER.test(cell)) {
    const v = Number(cell);
    return Number.isSafeInteger(v) ? v : undefined;
  }
  return undefined;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Turns label cells into ids:
 * - `classNames` given: the id is the label's position in it (`String(cell)` is looked up);
 * - every cell an integer: if the distinct values are exactly 0..k-1 they are the ids, named
 *   `"0"`..`"k-1"`; otherwise the distinct values sorted numerically get ids 0..k-1 and keep
 *   their values as names (`[-1, 1]` → names `["-1", "1"]`);
 * - otherwise the distinct `String(cell)`s sorted by code point get ids 0..k-1.
 * Returns an UnknownLabel for the first label that `classNames` does not list.
 */
export function encodeLabels(cells: readonly LabelCell[], classNames?: readonly string[]): EncodedLabels | UnknownLabel {
  const ids = new Int32Array(cells.length);
  if (classNames !== undefined) {
    const index = new Map(classNames.map((name, i) => [name, i]));
    for (let row = 0; row < cells.length; row++) {
      const id = index.get(String(cells[row]));
      if (id === undefined) return new UnknownLabel(row, String(cells[row]));
      ids[row] = id;
    }
    return { ids, labels: [...classNames] };
  }
  const integers = cells.map(integerValue);
  if (cells.length > 0 && integers.every((v) => v !== undefined)) {
    const values = integers as number[];
    const distinct = [...new Set(values)].sort((a, b) => a - b);
    const dense = distinct.every((v, i) => v === i);
    const index = new Map(distinct.map((v, i) => [v, i]));
    for (let row = 0; row < values.length; row++) ids[row] = dense ? values[row] : index.get(values[row])!;
    return { ids, labels: distinct.map(String) };
  }
  const names = cells.map(String);
  const distinct = [...new Set(names)].sort(byCodePoint);
  const index = new Map(distinct.map((name, i) => [name, i]));
  for (let row = 0; row < names.length; row++) ids[row] = index.get(names[row])!;
  return { ids, labels: distinct };
}
