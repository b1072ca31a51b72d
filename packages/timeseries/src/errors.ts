import { InputError, OptionError } from '@seqlearn/dataset';

/**
 * Window options that cannot produce a valid sample: a lookback longer than the rows it
 * may draw from, a non-positive step, a delay that reads past the end, an inverted row range.
 * `option` names the offending option so callers can point at it.
 */
export class WindowConfigError extends OptionError {
  declare readonly option: string;

  constructor(option: string, message: string) {
    super(message, { code: 'ERR_WINDOW_CONFIG', option });
  }
}

/** A NaN or infinite value where a generator or normalization would read it. */
export class NonFiniteValueError extends InputError {
  declare readonly row: number;
  declare readonly column: string;

  constructor(row: number, column: string, value: number, what = 'data') {
    super(`${what}: row ${row}, column "${column}" is ${value}; expected a finite number (drop or fill missing values first)`, {
      code: 'ERR_NON_FINITE',
      row,
      column,
    });
  }
}

/** A column named (or indexed) that the series does not have. */
export class UnknownColumnError extends OptionError {
  readonly column: string;

  constructor(column: string | number, available: readonly string[], role = 'column') {
    const shown = available.length > 20 ? `${available.slice(0, 20).join(', ')}, …` : available.join(', ');
    super(
      `${role} ${typeof column === 'number' ? `index ${column}` : `"${column}"`} does not exist; the series has ${available.length} columns: ${shown}`,
      { code: 'ERR_UNKNOWN_COLUMN', option: role },
    );
    this.column = String(column);
  }
}

/** Input arrays whose length, shape or type does not fit what was declared. */
export class SeriesInputError extends InputError {
  constructor(message: string) {
    super(message, { code: 'ERR_SERIES_INPUT' });
  }
}
