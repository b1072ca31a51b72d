// This module imports nothing, not even apache-arrow: `@seqlearn/backend` reaches it
// through the `@seqlearn/dataset/errors` subpath so that its errors share the root class
// without loading the data packages' code.

/**
 * The broad kind of a seqlearn error, for callers that map errors to exit codes or
 * messages without knowing every class:
 * - `option`: an option or argument that cannot be honoured;
 * - `input`: bad input data (a file, a row, a value);
 * - `format`: a file or object whose layout is not the one expected;
 * - `not-fitted`: an operation that needs fitted state ran before fitting;
 * - `unavailable`: something needed is not installed or cannot be reached;
 * - `io`: a file could not be written or read whole;
 * - `other`: anything else.
 */
export type SeqlearnErrorKind = 'option' | 'input' | 'format' | 'not-fitted' | 'unavailable' | 'io' | 'other';

/** Marks seqlearn errors across copies of this module (two installed versions, bundler duplicates). */
const BRAND = Symbol.for('seqlearn.error');

/**
 * The root of every error seqlearn throws. `code` is stable across versions, so callers
 * can branch on it (or on `kind`) rather than on the message.
 */
export class SeqlearnError extends Error {
  readonly code: string;
  readonly kind: SeqlearnErrorKind;

  constructor(code: string, message: string, options?: { cause?: unknown; kind?: SeqlearnErrorKind }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.kind = options?.kind ?? 'other';
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for any error thrown by a seqlearn package, even one from another installed copy
 * of `@seqlearn/dataset` (where `instanceof SeqlearnError` would be false).
 */
export function isSeqlearnError(error: unknown): error is SeqlearnError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error instanceof SeqlearnError || (error as Record<symbol, unknown>)[BRAND] === true) &&
    typeof (error as SeqlearnError).code === 'string'
  );
}

/** An option or argument that cannot be honoured: out of range, of the wrong type, or contradicting another. */
export class OptionError extends SeqlearnError {
  /** The option at fault, when one can be named. */
  readonly option: string | undefined;

  constructor(message: string, options: { option?: string; code?: string; cause?: unknown } = {}) {
    super(options.code ?? 'ERR_OPTION', message, { cause: options.cause, kind: 'option' });
    this.option = options.option;
  }
}

/** Where in the input a problem was found; every field that is known is filled in. */
export interface InputLocation {
  /** The file (or archive) being read. */
  file?: string;
  /** The archive member being read. */
  entry?: string;
  /** 1-based line number in the file or member. */
  line?: number;
  /** Row (record, sequence, sample) in the data, as the thrower counts it. */
  row?: number;
  /** Column: a name, or a 1-based position. */
  column?: string | number;
}

/** Bad input data. The location fields say where, as far as it is known. */
export class InputError extends SeqlearnError {
  readonly file: string | undefined;
  readonly entry: string | undefined;
  readonly line: number | undefined;
  readonly row: number | undefined;
  readonly column: string | number | undefined;

  constructor(message: string, options: InputLocation & { code?: string; cause?: unknown; kind?: SeqlearnErrorKind } = {}) {
    super(options.code ?? 'ERR_INPUT', message, { cause: options.cause, kind: options.kind ?? 'input' });
    this.file = options.file;
    this.entry = options.entry;
    this.line = options.line;
    this.row = options.row;
    this.column = options.column;
  }
}

/** A file or object whose layout is not the expected one (a schema, a header, a JSON shape). */
export class FormatError extends InputError {
  constructor(message: string, options: InputLocation & { code?: string; cause?: unknown } = {}) {
    super(message, { ...options, code: options.code ?? 'ERR_FORMAT', kind: 'format' });
  }
}

/** An operation that needs fitted state (a vocabulary, document frequencies) ran before fitting. */
export class NotFittedError extends SeqlearnError {
  constructor(message: string, options: { code?: string } = {}) {
    super(options.code ?? 'ERR_NOT_FITTED', message, { kind: 'not-fitted' });
  }
}

/** Something needed is not installed or cannot be reached: an optional package, a native backend, the network. */
export class UnavailableError extends SeqlearnError {
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(options.code ?? 'ERR_UNAVAILABLE', message, { cause: options.cause, kind: 'unavailable' });
  }
}

/** A token id that is NaN, fractional, negative or otherwise not a usable index. */
export class TokenIdError extends InputError {
  /** 0-based sequence. */
  declare readonly row: number;
  /** 0-based position in the sequence; the same as `column`. */
  readonly position: number;
  declare readonly column: number;

  constructor(message: string, row: number, position: number) {
    super(message, { code: 'ERR_TOKEN_ID', row, column: position });
    this.position = position;
  }
}

/** A table does not have the columns, types or metadata its kind requires. */
export class SchemaError extends FormatError {
  declare readonly column: string | undefined;

  constructor(message: string, column?: string) {
    super(message, { code: 'ERR_SCHEMA', column });
  }
}

/** An Arrow IPC file could not be written or read back whole. */
export class IpcError extends SeqlearnError {
  readonly path: string;

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('ERR_IPC', `${path}: ${message}`, { cause: options?.cause, kind: 'io' });
    this.path = path;
  }
}

/** Arguments to a dataset operation (builders, splits, batches) that cannot be honoured. */
export class DatasetError extends OptionError {
  constructor(message: string) {
    super(message, { code: 'ERR_DATASET' });
  }
}
