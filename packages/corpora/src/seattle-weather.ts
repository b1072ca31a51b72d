import type { Table } from 'apache-arrow';
import type { ProgressCallback } from './archive.js';
import type { MissingPolicy } from './fill-missing.js';
import { readSeriesEngine } from './series-csv.js';

/** The header of vega-datasets' `seattle-weather.csv`, in order. */
export const SEATTLE_WEATHER_COLUMNS = ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'] as const;

export interface SeattleWeatherOptions {
  /** Missing cells (default `interpolate`). */
  missing?: MissingPolicy;
  /** Days missing from the daily step: `fill` (default), `error` or `keep`. */
  gaps?: 'fill' | 'error' | 'keep';
  onProgress?: ProgressCallback;
}

/**
 * Reads vega-datasets' `seattle-weather.csv` (daily, 2012–2015) into a timeseries table, a preset
 * of readSeriesCsv: time from `date` (`2012-01-01`), the four measurements as Float32 columns and
 * the `weather` description one-hot encoded (`weather=drizzle`, `weather=fog`, …).
 */
export async function readSeattleWeather(file: string, options: SeattleWeatherOptions = {}): Promise<Table> {
  return readSeriesEngine(file, {
    timeColumn: 'date',
    timeFormat: 'YYYY-MM-DD',
    categorical: ['weather'],
    require: SEATTLE_WEATHER_COLUMNS,
    missing: options.missing ?? 'interpolate',
    gaps: options.gaps ?? 'fill',
    onProgress: options.onProgress,
    metadata: { 'seqlearn.corpus': 'seattle-weather' },
  });
}
