/**
 * A short, unambiguous description of a value for an error message: `null`, `number NaN`,
 * `"abc"` (strings quoted and cut at 40 characters), `an array of length 3`,
 * `an object (Map)`. Every seqlearn package words its "got ..." this way.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value).slice(8, -1)})` : typeof value;
}
