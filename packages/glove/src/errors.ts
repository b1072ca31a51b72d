import { InputError, OptionError, type SeqlearnErrorKind } from '@seqlearn/dataset';

/** Where in an input a problem was found; every field that is known is filled in. */
export interface VectorsLocation {
  /** The file (or archive) being read. */
  file: string;
  /** The zip member being read. */
  entry?: string;
  /** 1-based line number (text formats) or record number (word2vec binary). */
  line?: number;
  /** 1-based position of the value on its line (the word is position 0). */
  column?: number;
}

function where(location: VectorsLocation): string {
  let text = location.file;
  if (location.entry !== undefined) text += ` [entry ${location.entry}]`;
  if (location.line !== undefined) text += `, line ${location.line}`;
  if (location.column !== undefined) text += `, value ${location.column}`;
  return text;
}

/** Base of the errors about an input file; the message starts with its location. */
export class VectorsInputError extends InputError {
  declare readonly file: string;
  declare readonly column: number | undefined;

  constructor(code: string, location: VectorsLocation, message: string, options?: { cause?: unknown; kind?: SeqlearnErrorKind }) {
    super(`${where(location)}: ${message}`, { ...location, code, cause: options?.cause, kind: options?.kind });
  }
}

/** A line with the wrong number of values, an unparsable number, a bad header or a cut-off binary record. */
export class VectorsFormatError extends VectorsInputError {
  constructor(location: VectorsLocation, message: string, options?: { cause?: unknown }) {
    super('ERR_VECTORS_FORMAT', location, message, { cause: options?.cause, kind: 'format' });
  }
}

/** A gzip or zip file that is truncated or corrupt, or a zip without the requested member. */
export class VectorsArchiveError extends VectorsInputError {
  constructor(location: VectorsLocation, message: string, options?: { cause?: unknown }) {
    super('ERR_VECTORS_ARCHIVE', location, message, options);
  }
}

/** A word asked for by `nearest`, `analogy` or `vector` that the vectors do not hold. */
export class UnknownWordError extends OptionError {
  readonly word: string;

  constructor(word: string) {
    super(`the word "${word}" has no vector`, { code: 'ERR_UNKNOWN_WORD', option: 'word' });
    this.word = word;
  }
}

/** An option or argument that cannot be honoured (k < 1, a dimension mismatch, ...). */
export class VectorsOptionError extends OptionError {
  declare readonly option: string;

  constructor(option: string, message: string) {
    super(message, { code: 'ERR_VECTORS_OPTION', option });
  }
}
