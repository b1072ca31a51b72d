import type { Table } from 'apache-arrow';
import type { ProgressCallback } from './archive.js';
import type { MissingPolicy } from './fill-missing.js';
import { readSeriesEngine } from './series-csv.js';

/** The header of `PRSA_data_2010.1.1-2014.12.31.csv` (Beijing PM2.5, UCI), in order. */
export const PRSA_COLUMNS = ['No', 'year', 'month', 'day', 'hour', 'pm2.5', 'DEWP', 'TEMP', 'PRES', 'cbwd', 'Iws', 'Is', 'Ir'] as const;

export interface PrsaOptions {
  /** The `NA` readings of `pm2.5` (default `interpolate`, linear in time). */
  missing?: MissingPolicy;
  /** Rows missing from the hourly step (the official file has none): `fill` (default), `error` or `keep`. */
  gaps?: 'fill' | 'error' | 'keep';
  /** Recorded as `seqlearn.target` (must be a numeric column, e.g. `TEMP` or `pm2.5`). */
  target?: string;
  onProgress?: ProgressCallback;
}

/**
 * Reads the Beijing PM2.5 file `PRSA_data_2010.1.1-2014.12.31.csv` (hourly, 2010–2014) into a
 * timeseries table, a preset of readSeriesCsv: time from the year/month/day/hour columns, the row
 * number `No` left out, the wind direction `cbwd` one-hot encoded (`cbwd=NE`, `cbwd=NW`,
 * `cbwd=SE`, `cbwd=cv`), and the `NA` readings of `pm2.5` interpolated.
 */
export async function readPrsa(file: string, options: PrsaOptions = {}): Promise<Table> {
  return readSeriesEngine(file, {
    timeColumn: { year: 'year', month: 'month', day: 'day', hour: 'hour' },
    categorical: ['cbwd'],
    ignore: ['No'],
    require: PRSA_COLUMNS,
    missing: options.missing ?? 'interpolate',
    gaps: options.gaps ?? 'fill',
    ...(options.target === undefined ? {} : { target: options.target }),
    onProgress: options.onProgress,
    metadata: { 'seqlearn.corpus': 'PRSA_data_2010.1.1-2014.12.31' },
  });
}
