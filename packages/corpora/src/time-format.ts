import { wallClockMs } from './time-parse.js';
import { growableFloat64 } from './growable.js';

/**
 * Timestamps of one text column. Times are epoch milliseconds of the wall clock taken as UTC
 * (see wallClockMs); an explicit `Z` or `±HH:MM` offset is honoured, converting to UTC.
 */

/** A problem with one cell, turned into a CsvError (with file, line and column) by the reader. */
export class TimeCellProblem {
  constructor(
    readonly row: number,
    readonly message: string,
  ) {}
}

/** A problem with the column as a whole (ambiguous day/month order), turned into a CsvError. */
export class TimeColumnProblem {
  constructor(
    readonly message: string,
    readonly row?: number,
  ) {}
}

export interface TimeColumnResult {
  time: Float64Array;
  /** The pattern detected or given, e.g. `YYYY-MM-DD HH:mm:ss`, `M/D/YYYY H:mm`, `unix-seconds`. */
  format: string;
}

const ISO = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:([T ])(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const SLASH = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const DOTS = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const UNIX_S = /^\d{9,10}$/;
const UNIX_MS = /^\d{12,13}$/;

/** `+05:30` → minutes east of UTC. */
function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function fractionMs(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000;
}

function parseIso(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const ms = wallClockMs(Number(m[1]), Number(m[3]), Number(m[4]), Number(m[6] ?? 0), Number(m[7] ?? 0), Number(m[8] ?? 0));
  if (ms === undefined) return undefined;
  return ms + fractionMs(m[9]) - offsetMinutes(m[10]) * 60_000;
}

function isoName(text: string): string {
  const m = ISO.exec(text)!;
  let name = m[2] === '-' ? 'YYYY-MM-DD' : 'YYYY/MM/DD';
  if (m[6] !== undefined) name += `${m[5].toUpperCase()}HH:mm${m[8] !== undefined ? ':ss' : ''}${m[9] !== undefined ? '.SSS' : ''}`;
  if (m[10] !== undefined) name += m[10].toUpperCase() === 'Z' ? 'Z' : '±HH:MM';
  return name;
}

function clockName(hour: string | undefined, second: string | undefined): string {
  return hour === undefined ? '' : ` H:mm${second !== undefined ? ':ss' : ''}`;
}

/** A fixed form: a regex-driven parser once the form of the column is known. */
interface Form {
  format: string;
  parse(text: string): number | undefined;
}

const FIXED_FORMS: { test: RegExp; form: (first: string) => Form }[] = [
  { test: UNIX_S, form: () => ({ format: 'unix-seconds', parse: (t) => (UNIX_S.test(t) ? Number(t) * 1000 : undefined) }) },
  { test: UNIX_MS, form: () => ({ format: 'unix-ms', parse: (t) => (UNIX_MS.test(t) ? Number(t) : undefined) }) },
  {
    test: COMPACT,
    form: () => ({
      format: 'YYYYMMDD',
      parse: (t) => {
        const m = COMPACT.exec(t);
        return m ? wallClockMs(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
      },
    }),
  },
  { test: ISO, form: (first) => ({ format: isoName(first), parse: parseIso }) },
  {
    test: DOTS,
    form: (first) => {
      const f = DOTS.exec(first)!;
      return {
        format: `DD.MM.YYYY${f[4] === undefined ? '' : ` HH:mm${f[6] !== undefined ? ':ss' : ''}`}`,
        parse: (t) => {
          const m = DOTS.exec(t);
          return m
            ? wallClockMs(Number(m[3]), Number(m[2]), Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0))
            : undefined;
        },
      };
    },
  },
];

const TOKENS = ['YYYY', 'SSS', 'MM', 'DD', 'HH', 'mm', 'ss', 'M', 'D', 'H'] as const;
type Token = (typeof TOKENS)[number];
const TOKEN_RE: Record<Token, string> = {
  YYYY: '(\\d{4})',
  SSS: '(\\d{1,9})',
  MM: '(\\d{2})',
  DD: '(\\d{2})',
  HH: '(\\d{2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  M: '(\\d{1,2})',
  D: '(\\d{1,2})',
  H: '(\\d{1,2})',
};

/** Compiles a pattern such as `DD/MM/YYYY HH:mm` into a parser; undefined if it has no YYYY, M(M) and D(D). */
export function compileTimeFormat(pattern: string): Form | undefined {
  if (pattern === 'unix-seconds')
    return { format: pattern, parse: (t) => (/^[+-]?\d+(\.\d+)?$/.test(t) ? Math.round(Number(t) * 1000) : undefined) };
  if (pattern === 'unix-ms') return { format: pattern, parse: (t) => (/^[+-]?\d+$/.test(t) ? Number(t) : undefined) };
  const order: Token[] = [];
  let source = '^';
  for (let i = 0; i < pattern.length;) {
    const token = TOKENS.find((t) => pattern.startsWith(t, i));
    if (token) {
      order.push(token);
      source += TOKEN_RE[token];
      i += token.length;
    } else {
      source += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    }
  }
  source += '\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?$';
  const has = (...names: Token[]): boolean => names.some((n) => order.includes(n));
  if (!has('YYYY') || !has('MM', 'M') || !has('DD', 'D')) return undefined;
  const re = new RegExp(source, 'i');
  return {
    format: pattern,
    parse: (text) => {
      const m = re.exec(text);
      if (!m) return undefined;
      const part: Partial<Record<string, number>> = {};
      order.forEach((token, k) => (part[token.length === 2 && token !== 'mm' && token !== 'ss' ? token[0] : token] = Number(m[k + 1])));
      const ms = wallClockMs(part.YYYY!, part.M!, part.D!, part.H ?? 0, part.mm ?? 0, part.ss ?? 0);
      if (ms === undefined) return undefined;
      const fraction = order.includes('SSS') ? fractionMs(m[order.indexOf('SSS') + 1]) : 0;
      return ms + fraction - offsetMinutes(m[order.length + 1]) * 60_000;
    },
  };
}

const EXAMPLES =
  'ISO 8601 (2010-01-31T13:00:00, 2010-01-31 13:00, with Z or +01:00), M/D/YYYY H:mm, D/M/YYYY H:mm, DD.MM.YYYY HH:mm:ss, YYYYMMDD, Unix seconds (10 digits) or milliseconds (13 digits)';

/**
 * Reads one time column cell by cell, detecting its form from the first cell unless a format
 * is given. Slash dates (`3/4/2010`) are read both ways until the data decides: a first field
 * above 12 anywhere means day first, a second field above 12 month first.
 */
export class TimeColumnReader {
  private form: Form | undefined;
  private slash = false;
  private readonly monthFirst = growableFloat64();
  private readonly dayFirst = growableFloat64();
  private readonly times = growableFloat64();
  private dayFirstRow = -1;
  private monthFirstRow = -1;
  private slashClock = '';

  constructor(private readonly pattern?: string) {
    if (pattern !== undefined) {
      const form = compileTimeFormat(pattern);
      if (form === undefined)
        throw new TimeColumnProblem(
          `timeFormat "${pattern}" has no YYYY, M or MM, and D or DD; expected a pattern such as "YYYY-MM-DD HH:mm:ss", "D/M/YYYY H:mm", "unix-seconds" or "unix-ms"`,
        );
      this.form = form;
    }
  }

  /** Adds the next row's cell; returns a TimeCellProblem instead of throwing, so the caller adds the location. */
  push(text: string, row: number): TimeCellProblem | undefined {
    if (text === '') return new TimeCellProblem(row, 'the time is empty; every row needs one');
    if (this.form === undefined && !this.slash) {
      const fixed = FIXED_FORMS.find((f) => f.test.test(text));
      if (fixed) this.form = fixed.form(text);
      else if (SLASH.test(text)) {
        this.slash = true;
        const m = SLASH.exec(text)!;
        this.slashClock = clockName(m[4], m[6]);
      } else {
        return new TimeCellProblem(row, `"${text}" is not a date and time the reader recognises; expected ${EXAMPLES}, or pass timeFormat`);
      }
    }
    if (this.form !== undefined) {
      const ms = this.form.parse(text);
      if (ms === undefined)
        return new TimeCellProblem(
          row,
          `"${text}" is not a date in the format ${this.form.format}${this.pattern === undefined ? ' (detected from the first row; pass timeFormat to set it)' : ''}`,
        );
      this.times.push(ms);
      return undefined;
    }
    const m = SLASH.exec(text);
    if (!m) return new TimeCellProblem(row, `"${text}" is not a date in the form of the first row (${this.candidates().join(' or ')})`);
    const [a, b, y, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
    const md = wallClockMs(y, a, b, h, mi, s);
    const dm = wallClockMs(y, b, a, h, mi, s);
    if (md === undefined && dm === undefined)
      return new TimeCellProblem(row, `"${text}" is not a valid date either as ${this.candidates().join(' or as ')}`);
    if (a > 12 && this.dayFirstRow === -1) this.dayFirstRow = row;
    if (b > 12 && this.monthFirstRow === -1) this.monthFirstRow = row;
    this.monthFirst.push(md ?? Number.NaN);
    this.dayFirst.push(dm ?? Number.NaN);
    return undefined;
  }

  private candidates(): string[] {
    return [`M/D/YYYY${this.slashClock}`, `D/M/YYYY${this.slashClock}`];
  }

  /** The times, once every row is in; a TimeColumnProblem when the day/month order cannot be told. */
  finish(): TimeColumnResult | TimeColumnProblem {
    if (!this.slash) return { time: this.times.view(), format: this.form?.format ?? this.pattern ?? 'none' };
    const [md, dm] = this.candidates();
    if (this.dayFirstRow !== -1 && this.monthFirstRow !== -1) {
      return new TimeColumnProblem(
        `mixes day-first and month-first dates: a first field above 12 means ${dm}, but a second field above 12 means ${md}; pass timeFormat`,
        this.monthFirstRow,
      );
    }
    if (this.dayFirstRow === -1 && this.monthFirstRow === -1) {
      return new TimeColumnProblem(
        `every date could be month first or day first (no field above 12); pass timeFormat: "${md}" or timeFormat: "${dm}"`,
      );
    }
    const dayFirst = this.dayFirstRow !== -1;
    const time = (dayFirst ? this.dayFirst : this.monthFirst).view();
    const bad = time.findIndex(Number.isNaN);
    if (bad !== -1) return new TimeColumnProblem(`is not a valid date as ${dayFirst ? dm : md}, the order the other rows need`, bad);
    return { time, format: dayFirst ? dm : md };
  }
}
