import { readFile, stat } from 'node:fs/promises';
import type { Table } from 'apache-arrow';
import { parse } from 'csv-parse/sync';
import { corpusTable } from '@seqlearn/dataset';
import type { ProgressCallback } from './archive.js';
import { TextDecoding } from './decode.js';
import { CorporaOptionError, TableInputError } from './errors.js';
import { encodeLabels, type LabelCell, UnknownLabel } from './label-encoding.js';

export type TextTableFormat = 'csv' | 'tsv' | 'json' | 'jsonl';

export interface TextTableOptions {
  /** Default: from the extension (`.csv`; `.tsv`, `.tab`; `.json`; `.jsonl`, `.ndjson`). */
  format?: TextTableFormat;
  /** The column (or JSON key) holding the texts (default `text`). */
  textColumn?: string;
  /**
   * The column holding the labels (default `label`). `null` reads unlabeled texts, e.g. to
   * predict on: every `label` is -1 and `seqlearn.labels` is `[]`.
   */
  labelColumn?: string | null;
  /** A column to keep as the `id` column (otherwise the table has none). */
  idColumn?: string;
  /** CSV field delimiter (default `,` for csv, tab for tsv). */
  delimiter?: string;
  /** Fixed label order: label `classNames[i]` gets id i; any other label is an error naming its row. */
  classNames?: readonly string[];
  /** Encoding for a file that is not valid UTF-8 (default `windows-1252`, a superset of Latin-1). */
  fallbackEncoding?: string;
  onProgress?: ProgressCallback;
}

/** One data row: its cells by column name, and where it starts in the file. */
interface Row {
  cells: Record<string, unknown>;
  /** 1-based line where the row starts (CSV, JSON Lines). */
  line?: number;
}

interface Parsed {
  columns: string[];
  rows: Row[];
}

const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function formatOf(file: string, option: TextTableFormat | undefined): TextTableFormat {
  if (option !== undefined) {
    if (!['csv', 'tsv', 'json', 'jsonl'].includes(option))
      throw new CorporaOptionError(`format "${String(option)}" does not exist; expected csv, tsv, json or jsonl`);
    return option;
  }
  const ext = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  if (ext === 'json') return 'json';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  throw new CorporaOptionError(
    `${file}: cannot tell the format from the extension; expected .csv, .tsv, .tab, .json, .jsonl or .ndjson, or pass format`,
  );
}

function parseCsv(file: string, text: string, delimiter: string): Parsed {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, info: true, bom: true, skip_empty_lines: true }) as typeof records;
  } catch (error) {
    const e = error as { code?: string; lines?: number; message?: string; record?: unknown[] };
    let message = e.message ?? String(error);
    if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
      message = `ragged row: ${Array.isArray(e.record) ? e.record.length : '?'} fields, the header has ${/expect(?:ed)? (\d+)/.exec(message)?.[1] ?? 'a different number'}`;
    }
    throw new TableInputError(typeof e.lines === 'number' ? { file, line: e.lines } : { file }, message, { cause: error });
  }
  if (records.length === 0) throw new TableInputError({ file }, 'is empty; expected a header line and at least one data row');
  const columns = records[0].record;
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) throw new TableInputError({ file, line: 1, column: name }, `column "${name}" appears twice in the header`);
    seen.add(name);
  }
  // info.lines is where a record ends, and csv-parse counts a CRLF inside a quoted field as two
  // lines; an editor counts one, so the start line is taken back by the field's line breaks.
  let crlfSoFar = 0;
  const rows = records.slice(1).map(({ record, info }) => {
    let breaks = 0;
    for (const cell of record) {
      breaks += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
      crlfSoFar += cell.match(/\r\n/g)?.length ?? 0;
    }
    const cells: Record<string, unknown> = {};
    columns.forEach((name, i) => (cells[name] = record[i]));
    return { cells, line: info.lines - crlfSoFar - breaks };
  });
  return { columns, rows };
}

/** The 1-based line of a character offset, for JSON.parse's "at position N". */
function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function columnsOf(rows: Row[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.cells)) columns.add(key);
  return [...columns];
}

/** V8's snippet holds this many characters on each side of the offending token. */
const JSON_CONTEXT = 10;

/**
 * Where JSON.parse failed, and what it said, on one line: V8 gives either "at position N" or a
 * snippet of up to 10 characters around the offending token (which may hold line breaks).
 */
function jsonFailure(text: string, error: unknown): { position?: number; reason: string } {
  const message = (error as Error).message;
  const at = /^(.*?)(?: in JSON)? at position (\d+)/s.exec(message);
  if (at) return { position: Number(at[2]), reason: at[1] };
  if (/Unexpected end of JSON input/.test(message)) return { position: text.length, reason: 'unexpected end of input' };
  const snippet = /^Unexpected token '(.+?)', (\.\.\.)?"(.*)"(\.\.\.)? is not valid JSON$/s.exec(message);
  if (snippet) {
    const [, token, before, core, after] = snippet;
    const cutBefore = before !== undefined;
    const cutAfter = after !== undefined;
    const start = text.indexOf(core);
    const reason = `unexpected token '${token}'`;
    if (start === -1) return { reason };
    if (cutBefore) return { position: start + JSON_CONTEXT, reason };
    if (cutAfter) return { position: start + core.length - JSON_CONTEXT, reason };
    return { position: text.indexOf(token), reason };
  }
  return { reason: message.replace(/\s+/g, ' ') };
}

function parseJson(file: string, text: string): Parsed {
  let data: unknown;
  const body = text.replace(/^\uFEFF/, '');
  try {
    data = JSON.parse(body);
  } catch (error) {
    const { position, reason } = jsonFailure(body, error);
    throw new TableInputError(
      position === undefined ? { file } : { file, line: lineAt(body, position) },
      `is not valid JSON (${reason}); expected an array of objects`,
      { cause: error },
    );
  }
  if (!Array.isArray(data))
    throw new TableInputError(
      { file },
      `holds a JSON ${data === null ? 'null' : typeof data}, not an array; expected an array of objects such as [{"text": "…", "label": "…"}]`,
    );
  const rows = data.map((item: unknown, i) => {
    if (!isObject(item))
      throw new TableInputError(
        { file, row: i + 1 },
        `is ${Array.isArray(item) ? 'an array' : `a JSON ${item === null ? 'null' : typeof item}`}; expected an object such as {"text": "…", "label": "…"}`,
      );
    return { cells: item };
  });
  return { columns: columnsOf(rows), rows };
}

function parseJsonLines(file: string, text: string): Parsed {
  const rows: Row[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (const [i, raw] of lines.entries()) {
    const content = raw.trim();
    if (content === '') continue;
    const line = i + 1;
    let item: unknown;
    try {
      item = JSON.parse(content);
    } catch (error) {
      throw new TableInputError(
        { file, line },
        `is not valid JSON (${jsonFailure(content, error).reason}); expected one JSON object per line`,
        { cause: error },
      );
    }
    if (!isObject(item))
      throw new TableInputError(
        { file, line, row: rows.length + 1 },
        `is ${Array.isArray(item) ? 'an array' : `a JSON ${item === null ? 'null' : typeof item}`}; expected one JSON object per line`,
      );
    rows.push({ cells: item, line });
  }
  return { columns: columnsOf(rows), rows };
}

const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

function where(file: string, row: Row, index: number, column: string): { file: string; line?: number; column: string; row: number } {
  return row.line === undefined ? { file, column, row: index + 1 } : { file, line: row.line, column, row: index + 1 };
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Reads a table of texts, the user's own reviews, tickets or emails, into a corpus table:
 * CSV (csv-parse: header row, quoted fields with line breaks, BOM, CRLF), TSV, JSON (an array of
 * objects) or JSON Lines. Columns: `text`, `label` and, with `idColumn`, `id`.
 *
 * Label ids: with `classNames`, the position in it; when every label is an integer, the values
 * themselves if they are exactly 0..k-1 (names `"0"`..`"k-1"`), otherwise the distinct values
 * sorted numerically (names are the values); otherwise the distinct labels sorted by code point.
 * JSON booleans and numbers are labels like their text (`true`, `3`). The names go into
 * `seqlearn.labels`.
 *
 * Every problem is one TableInputError naming the file, the 1-based data row (and line, for CSV
 * and JSON Lines) and the column.
 */
export async function readTextTable(path: string, options: TextTableOptions = {}): Promise<Table> {
  const format = formatOf(path, options.format);
  const textColumn = options.textColumn ?? 'text';
  const labelColumn = options.labelColumn === undefined ? 'label' : options.labelColumn;
  if (labelColumn === null && options.classNames !== undefined) {
    throw new CorporaOptionError('classNames needs labels: it cannot be given with labelColumn: null');
  }
  const decoding = new TextDecoding(options.fallbackEncoding);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new TableInputError({ file: path }, `does not exist; expected a ${format.toUpperCase()} file of texts`);
  if (!info.isFile()) throw new TableInputError({ file: path }, `is not a file; expected a ${format.toUpperCase()} file of texts`);
  const bytes = await readFile(path);
  options.onProgress?.({ bytesRead: 0, totalBytes: bytes.length, records: 0 });
  const text = decoding.decode(bytes, path);

  const parsed =
    format === 'csv' || format === 'tsv'
      ? parseCsv(path, text, options.delimiter ?? (format === 'tsv' ? '\t' : ','))
      : format === 'json'
        ? parseJson(path, text)
        : parseJsonLines(path, text);
  const { columns, rows } = parsed;
  if (rows.length === 0)
    throw new TableInputError(
      { file: path },
      `has no data rows${columns.length > 0 ? ` (only the header ${quoted(columns)})` : ''}; expected at least one text`,
    );

  const required: [string, string][] = [[textColumn, 'text']];
  if (labelColumn !== null) required.push([labelColumn, 'label']);
  if (options.idColumn !== undefined) required.push([options.idColumn, 'id']);
  for (const [name, role] of required) {
    if (!columns.includes(name)) {
      const hint =
        role === 'text'
          ? 'pass textColumn'
          : role === 'label'
            ? 'pass labelColumn (or labelColumn: null for unlabeled texts)'
            : 'pass idColumn';
      throw new TableInputError(
        { file: path, column: name },
        `has no ${role} column "${name}"; the columns are ${quoted(columns)} (${hint})`,
      );
    }
  }

  const texts: string[] = [];
  let numeric = 0;
  let nonEmpty = 0;
  for (const [i, row] of rows.entries()) {
    const value = row.cells[textColumn];
    if (typeof value !== 'string') {
      const what = value === undefined ? 'has no text' : `holds ${describeValue(value)} as its text`;
      throw new TableInputError(
        where(path, row, i, textColumn),
        `${what}; expected a string in "${textColumn}" (pass textColumn if the texts are in another column)`,
      );
    }
    texts.push(value);
    if (value.trim() !== '') {
      nonEmpty++;
      if (NUMBER.test(value)) numeric++;
    }
  }
  if (nonEmpty > 0 && numeric === nonEmpty) {
    throw new TableInputError(
      { file: path, column: textColumn },
      `text column "${textColumn}" holds only numbers, so it looks numeric; pass textColumn to name the column with the texts (the columns are ${quoted(columns)})`,
    );
  }

  let ids: Int32Array;
  let labels: string[];
  if (labelColumn === null) {
    ids = new Int32Array(rows.length).fill(-1);
    labels = [];
  } else {
    const cells: LabelCell[] = [];
    let missing = 0;
    let first = -1;
    for (const [i, row] of rows.entries()) {
      const value = row.cells[labelColumn];
      if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
        missing++;
        if (first === -1) first = i;
        cells.push('');
        continue;
      }
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new TableInputError(
          where(path, row, i, labelColumn),
          `holds ${describeValue(value)} as its label; expected a string, number or boolean`,
        );
      }
      cells.push(typeof value === 'string' ? value.trim() : value);
    }
    if (missing > 0) {
      throw new TableInputError(
        where(path, rows[first], first, labelColumn),
        `has no label (${missing} of the ${rows.length} rows have none; this is the first); every row needs one, or pass labelColumn: null to read unlabeled texts`,
      );
    }
    const encoded = encodeLabels(cells, options.classNames);
    if (encoded instanceof UnknownLabel) {
      throw new TableInputError(
        where(path, rows[encoded.row], encoded.row, labelColumn),
        `label "${encoded.label}" is not one of classNames (${quoted(options.classNames ?? [])})`,
      );
    }
    ({ ids, labels } = encoded);
  }

  let id: string[] | undefined;
  if (options.idColumn !== undefined) {
    const column = options.idColumn;
    id = rows.map((row, i) => {
      const value = row.cells[column];
      if (typeof value === 'string' || typeof value === 'number') return String(value);
      throw new TableInputError(
        where(path, row, i, column),
        `holds ${value === undefined ? 'nothing' : describeValue(value)} as its id; expected a string or number`,
      );
    });
  }

  options.onProgress?.({ bytesRead: bytes.length, totalBytes: bytes.length, records: rows.length });
  return corpusTable(
    { text: texts, label: ids, ...(id ? { id } : {}) },
    {
      labels,
      source: path,
      metadata: { 'seqlearn.format': format, 'seqlearn.decoding': JSON.stringify(decoding.report) },
    },
  );
}
