/**
 * JSON text exactly as Python's `json.dumps` writes it with default arguments
 * (`ensure_ascii=True`, separators `', '` and `': '`), so that a tokenizer saved
 * here is byte-for-byte what Keras's `to_json()` writes for the same state.
 * Only the value types a tokenizer config holds are supported.
 */
export type PyJsonValue = string | number | boolean | null | PyJsonValue[] | PyJsonObject;
export type PyJsonObject = Map<string, PyJsonValue> | { [key: string]: PyJsonValue };

export function pyJsonDumps(value: PyJsonValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return pyJsonString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return pyJsonNumber(value);
  }
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  const entries = value instanceof Map ? [...value] : Object.entries(value);
  return `{${entries.map(([k, v]) => `${pyJsonString(k)}: ${pyJsonDumps(v)}`).join(', ')}}`;
}

/** Python writes `NaN`/`Infinity` for non-finite floats; JSON.parse rejects those, so they never get here. */
function pyJsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot write ${n} as JSON`);
  return String(n);
}

const SHORT: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x08: '\\b', 0x0c: '\\f' };

export function pyJsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Python's ensure_ascii keeps only ' '..'~' as is (DEL and above are escaped).
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i) + (SHORT[c] ?? `\\u${c.toString(16).padStart(4, '0')}`);
    start = i + 1;
  }
  return `${out}${s.slice(start)}"`;
}
