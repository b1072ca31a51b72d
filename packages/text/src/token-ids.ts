import { TokenIdError } from './errors.js';

/** Throws unless `value` is a non-negative integer token id. */
export function checkTokenId(value: unknown, row: number, column: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  const shown = typeof value === 'number' ? String(value) : `${typeof value} ${JSON.stringify(value)}`;
  throw new TokenIdError(`sequence ${row}, position ${column}: token id ${shown} is not a non-negative integer`, row, column);
}
