/**
 * Times are stored as epoch milliseconds of the wall-clock reading taken as UTC: the weather
 * files carry no time zone, and reading them in the machine's zone would make the result
 * depend on where it runs (and shift an hour at each daylight-saving change).
 */
export function wallClockMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number | undefined {
  if (![year, month, day, hour, minute, second].every(Number.isInteger)) return undefined;
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
    return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 April over into May; a calendar date must survive the round trip.
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return ms;
}

const DMY = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

export type DateFormat = 'dd.mm.yyyy hh:mm:ss' | 'yyyy-mm-dd hh:mm:ss';

/** Parses `01.01.2009 00:10:00` (Jena) or `2010-01-01 00:00:00` / `2010-01-01T00:00` (ISO, no zone). */
export function parseDate(text: string, format: DateFormat): number | undefined {
  if (format === 'dd.mm.yyyy hh:mm:ss') {
    const m = DMY.exec(text);
    if (!m) return undefined;
    return wallClockMs(Number(m[3]), Number(m[2]), Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  }
  const m = ISO.exec(text);
  if (!m) return undefined;
  return wallClockMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
}
