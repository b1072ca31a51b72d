import { Table } from 'apache-arrow';
import { assembleTable, fixedSizeListColumn, int32Column, metadataMap, type NamedColumn, type NumericArray } from '../columns.js';
import { META } from '../metadata.js';
import { isFixedList, isFloat32, isInt32, optionalColumn, requireColumn, requireKind } from './check.js';

/** Dense vectors: `x: FixedSizeList<Float32>[dim]` over one row-major buffer, optional `label: Int32`. */
export function vectorsTable(
  columns: { x: Float32Array; dim: number; label?: NumericArray },
  meta: { description: string; metadata?: Record<string, string> },
): Table {
  const named: NamedColumn[] = [{ name: 'x', data: fixedSizeListColumn(columns.x, columns.dim, 'x') }];
  if (columns.label !== undefined) named.push({ name: 'label', data: int32Column(columns.label, 'label') });
  return assembleTable(named, metadataMap(meta.metadata, { [META.kind]: 'vectors', [META.vectors]: meta.description }));
}

export function validateVectors(table: Table): void {
  requireKind(table, 'vectors');
  requireColumn(table, 'vectors', 'x', 'FixedSizeList<Float32>[dim]', isFixedList(isFloat32));
  optionalColumn(table, 'vectors', 'label', 'Int32', isInt32);
}
