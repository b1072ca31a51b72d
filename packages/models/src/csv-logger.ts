// Keras's CSVLogger: one row per epoch, `epoch` (0-based) first, then the log keys of the
// first epoch in sorted order; values written as Python writes floats, so a file from a
// Keras run and one from here read alike.

import { appendFile, dirname, mkdir, stat, writeFile } from '#platform';
import type { TrainCallback } from './callbacks.js';

export interface CsvLoggerOptions {
  /** Field separator. Default ','. */
  separator?: string;
  /** Append to an existing file (its header is kept) instead of overwriting it. Default false. */
  append?: boolean;
}

/** A number as Python's repr() of a float writes it: `1.0`, `0.25`, `1e-05`, `nan`, `inf`. */
export function pythonFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = v.toExponential().split('e');
    const sign = exponent.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** Quotes a field as Python's csv module does by default (QUOTE_MINIMAL). */
function field(value: string, separator: string): string {
  return value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Streams the epoch logs to a CSV file, as Keras's CSVLogger. */
export function csvLogger(path: string, opts: CsvLoggerOptions = {}): TrainCallback {
  const separator = opts.separator ?? ',';
  const append = opts.append ?? false;
  let keys: string[] | undefined;
  let writeHeader = true;
  return {
    async onTrainBegin() {
      keys = undefined;
      await mkdir(dirname(path), { recursive: true });
      if (append) {
        const size = await stat(path).then(
          (s) => s.size,
          () => 0,
        );
        writeHeader = size === 0;
      } else {
        await writeFile(path, '');
        writeHeader = true;
      }
    },
    async onEpochEnd(epoch, logs) {
      let text = '';
      if (keys === undefined) {
        keys = Object.keys(logs).sort();
        if (writeHeader) text += `${['epoch', ...keys].map((k) => field(k, separator)).join(separator)}\r\n`;
      }
      const row = [String(epoch), ...keys.map((k) => (logs[k] === undefined ? 'NA' : pythonFloat(logs[k])))];
      await appendFile(path, `${text}${row.map((v) => field(v, separator)).join(separator)}\r\n`);
    },
  };
}
