import type { Table } from 'apache-arrow';
import type { ProgressCallback } from './archive.js';
import { CorporaOptionError } from './errors.js';
import type { MissingPolicy } from './fill-missing.js';
import { readSeriesEngine } from './series-csv.js';

/** The header of `jena_climate_2009_2016.csv`, in order. */
export const JENA_COLUMNS = [
  'Date Time',
  'p (mbar)',
  'T (degC)',
  'Tpot (K)',
  'Tdew (degC)',
  'rh (%)',
  'VPmax (mbar)',
  'VPact (mbar)',
  'VPdef (mbar)',
  'sh (g/kg)',
  'H2OC (mmol/mol)',
  'rho (g/m**3)',
  'wv (m/s)',
  'max. wv (m/s)',
  'wd (deg)',
] as const;

/** The value the Jena station writes when a wind sensor failed. */
export const JENA_ERROR_VALUE = -9999;

export interface JenaOptions {
  /**
   * What to do with the -9999.0 error values (in the `wv` columns): `keep` (default; the book
   * trains on the raw file), `nan`, `zero` (a failed wind sensor read as calm air), `interpolate`
   * (linear in time), `ffill` or `drop` (the row).
   */
  errorValues?: Extract<MissingPolicy, 'keep' | 'nan' | 'zero' | 'interpolate' | 'ffill' | 'drop'>;
  /** Empty or `NA` cells, which the official file does not have (default `interpolate`). */
  missing?: MissingPolicy;
  /**
   * Rows missing from the 10-minute step: `keep` (default; the book trains on the raw file,
   * and neither order nor step is checked), `fill` (inserted and filled by `missing`,
   * reported in `seqlearn.gaps`) or `error`.
   */
  gaps?: 'keep' | 'fill' | 'error';
  onProgress?: ProgressCallback;
}

/**
 * Reads `jena_climate_2009_2016.csv`, or the official `jena_climate_2009_2016.csv.zip` (streamed
 * from the archive, not extracted), from the Max Planck Institute for Biogeochemistry, 10-minute
 * readings) into a timeseries table: `time` from "Date Time" (`01.01.2009 00:10:00`, wall clock
 * taken as UTC) and the 14 measurements as Float32 columns named as in the header, with their
 * units in the metadata. A preset of readSeriesCsv.
 */
export async function readJenaClimate(file: string, options: JenaOptions = {}): Promise<Table> {
  const errorValues = options.errorValues ?? 'keep';
  if (!['keep', 'nan', 'zero', 'interpolate', 'ffill', 'drop'].includes(errorValues)) {
    throw new CorporaOptionError(`errorValues "${errorValues}" does not exist; expected keep, nan, zero, interpolate, ffill or drop`);
  }
  const gaps = options.gaps ?? 'keep';
  return readSeriesEngine(file, {
    timeColumn: 'Date Time',
    legacyDateFormat: 'dd.mm.yyyy hh:mm:ss',
    require: JENA_COLUMNS,
    strictColumns: true,
    gaps,
    uncheckedOrder: gaps === 'keep',
    missing: options.missing ?? 'interpolate',
    sentinels: { values: [JENA_ERROR_VALUE], policy: errorValues },
    onProgress: options.onProgress,
    metadata: { 'seqlearn.corpus': 'jena_climate_2009_2016' },
  });
}
