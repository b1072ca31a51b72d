import { InputError, OptionError, UnavailableError } from '@seqlearn/dataset';

/** Where in an input a problem was found. Every field that is known is filled in. */
export interface InputLocation {
  /** The file (or archive) being read. */
  file: string;
  /** The archive member being read, for tar.gz input. */
  entry?: string;
  /** 1-based line number in the file or member. */
  line?: number;
  /** Column name (CSV) or 1-based character column (SGML). */
  column?: string | number;
}

function where(loc: InputLocation): string {
  let text = loc.file;
  if (loc.entry !== undefined) text += ` [entry ${loc.entry}]`;
  if (loc.line !== undefined) text += `, line ${loc.line}`;
  if (loc.column !== undefined) text += typeof loc.column === 'number' ? `, column ${loc.column}` : `, column "${loc.column}"`;
  return text;
}

/** Base for errors about the content of an input file; the message starts with its location. */
export class CorpusInputError extends InputError {
  declare readonly file: string;

  constructor(code: string, location: InputLocation, message: string, options?: { cause?: unknown }) {
    super(`${where(location)}: ${message}`, { ...location, code, cause: options?.cause });
  }
}

/** A gzip or tar archive that is truncated or corrupt. */
export class ArchiveError extends CorpusInputError {
  constructor(location: InputLocation, message: string, options?: { cause?: unknown }) {
    super('ERR_ARCHIVE', location, message, options);
  }
}

/** Reuters SGML that does not follow the Lewis DTD closely enough to read. */
export class SgmlError extends CorpusInputError {
  constructor(location: InputLocation, message: string) {
    super('ERR_SGML', location, message);
  }
}

/** A CSV with a missing column, a ragged row, an unparsable number or an undeclared text column. */
export class CsvError extends CorpusInputError {
  constructor(location: InputLocation, message: string, options?: { cause?: unknown }) {
    super('ERR_CSV', location, message, options);
  }
}

/**
 * A text table (CSV, TSV, JSON, JSON Lines) whose content cannot become a corpus: a missing
 * column, no rows, missing labels, a numeric text column, invalid JSON. `row` is the 1-based
 * data row when one is at fault.
 */
export class TableInputError extends CorpusInputError {
  override readonly row: number | undefined;

  constructor(location: InputLocation & { row?: number }, message: string, options?: { cause?: unknown }) {
    super('ERR_TABLE_INPUT', location, location.row === undefined ? message : `row ${location.row}: ${message}`, options);
    this.row = location.row;
  }
}

/** A series whose timestamps go backwards, repeat, or do not fall on a regular step. */
export class SeriesTimeError extends CorpusInputError {
  constructor(location: InputLocation, message: string) {
    super('ERR_SERIES_TIME', location, message);
  }
}

/** An input folder or archive that does not have the layout of the data set. */
export class LayoutError extends CorpusInputError {
  constructor(location: InputLocation, message: string) {
    super('ERR_LAYOUT', location, message);
  }
}

/** Options that contradict each other or name something that does not exist. */
export class CorporaOptionError extends OptionError {
  constructor(message: string) {
    super(message, { code: 'ERR_CORPORA_OPTION' });
  }
}

/** A download that could not be completed (network, HTTP status, interrupted beyond retries). */
export class DownloadError extends UnavailableError {
  readonly url: string;

  constructor(url: string, message: string, options?: { cause?: unknown }, code = 'ERR_DOWNLOAD') {
    super(`${url}: ${message}`, { code, cause: options?.cause });
    this.url = url;
  }
}

/** The network cannot be reached; the message says how to pass a local copy instead. */
export class OfflineError extends DownloadError {
  constructor(url: string, message: string, options?: { cause?: unknown }) {
    super(url, message, options, 'ERR_OFFLINE');
  }
}

/** A downloaded or local file whose sha256 is not the expected one. */
export class ChecksumError extends InputError {
  declare readonly file: string;
  readonly expected: string;
  readonly actual: string;

  constructor(file: string, expected: string, actual: string) {
    super(`${file}: sha256 is ${actual}, expected ${expected}; the file was not kept`, { code: 'ERR_CHECKSUM', file });
    this.expected = expected;
    this.actual = actual;
  }
}
