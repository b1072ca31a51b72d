/**
 * The base of every typed error the seqlearn data packages throw. `code` is stable
 * across versions, so callers can branch on it rather than on the message.
 */
export class SeqlearnError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A table does not have the columns, types or metadata its kind requires. */
export class SchemaError extends SeqlearnError {
  readonly column: string | undefined;

  constructor(message: string, column?: string) {
    super('ERR_SCHEMA', message);
    this.column = column;
  }
}

/** An Arrow IPC file could not be written or read back whole. */
export class IpcError extends SeqlearnError {
  readonly path: string;

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('ERR_IPC', `${path}: ${message}`, options);
    this.path = path;
  }
}

/** Arguments to a dataset operation (builders, splits, batches) that cannot be honoured. */
export class DatasetError extends SeqlearnError {
  constructor(message: string) {
    super('ERR_DATASET', message);
  }
}
