import { Table } from 'apache-arrow';
import { assembleTable, float32Column, metadataMap, type NamedColumn, type NumericArray, timestampMsColumn } from '../columns.js';
import { DatasetError, SchemaError } from '../errors.js';
import { META, readJsonMeta } from '../metadata.js';
import { isFloat32, isTimestampMs, requireColumn, requireKind } from './check.js';

/** Mean and std per feature, and the half-open row range `[start, end)` they were fitted on. */
export interface NormalizationMeta {
  mean: Record<string, number>;
  std: Record<string, number>;
  rows: [number, number];
}

export interface TimeseriesInfo {
  units?: Record<string, string>;
  normalization?: NormalizationMeta;
}

/** A timeseries: `time: Timestamp<MILLISECOND>` and one `Float32` column per feature, in the given order. */
export function timeseriesTable(
  columns: { time: NumericArray; features: Record<string, NumericArray> },
  meta: TimeseriesInfo & { metadata?: Record<string, string> } = {},
): Table {
  const named: NamedColumn[] = [{ name: 'time', data: timestampMsColumn(columns.time, 'time') }];
  for (const [name, values] of Object.entries(columns.features)) {
    if (name === 'time') throw new DatasetError('a feature column cannot be called "time"');
    named.push({ name, data: float32Column(values) });
  }
  const info: TimeseriesInfo = { units: meta.units, normalization: meta.normalization };
  return assembleTable(named, metadataMap(meta.metadata, { [META.kind]: 'timeseries', [META.timeseries]: JSON.stringify(info) }));
}

/** The feature column names, in order (every column but `time`). */
export function featureNames(table: Table): string[] {
  return table.schema.fields.map((f) => f.name).filter((name) => name !== 'time');
}

export function validateTimeseries(table: Table): void {
  requireKind(table, 'timeseries');
  requireColumn(table, 'timeseries', 'time', 'Timestamp<MILLISECOND>', isTimestampMs);
  const features = featureNames(table);
  if (features.length === 0) throw new SchemaError('timeseries table: no feature columns besides "time"');
  for (const name of features) requireColumn(table, 'timeseries', name, 'Float32', isFloat32);
  readJsonMeta<TimeseriesInfo>(table, META.timeseries);
}
