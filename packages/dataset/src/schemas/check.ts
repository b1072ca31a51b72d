import { DataType, Table, Type } from 'apache-arrow';
import { SchemaError } from '../errors.js';
import { META, type TableKind, tableKind } from '../metadata.js';

/** Shared checks behind the validators: each names the column and what was expected. */

export function requireColumn(
  table: Table,
  kind: TableKind,
  name: string,
  expected: string,
  accepts: (type: DataType) => boolean,
): DataType {
  const field = table.schema.fields.find((f) => f.name === name);
  if (!field) {
    const have = table.schema.fields.map((f) => `${f.name}: ${f.type}`).join(', ') || 'none';
    throw new SchemaError(`${kind} table: missing column "${name}" (expected ${expected}); columns are ${have}`, name);
  }
  if (!accepts(field.type)) {
    throw new SchemaError(`${kind} table: column "${name}" is ${field.type}, expected ${expected}`, name);
  }
  return field.type;
}

export function optionalColumn(
  table: Table,
  kind: TableKind,
  name: string,
  expected: string,
  accepts: (type: DataType) => boolean,
): DataType | undefined {
  return table.schema.fields.some((f) => f.name === name) ? requireColumn(table, kind, name, expected, accepts) : undefined;
}

export function requireKind(table: Table, kind: TableKind): void {
  const declared = tableKind(table);
  const raw = table.schema.metadata.get(META.kind);
  if (raw !== undefined && declared !== kind) {
    throw new SchemaError(`expected a ${kind} table, but its metadata "${META.kind}" says "${raw}"`);
  }
}

export const isInt32 = (t: DataType): boolean => DataType.isInt(t) && t.bitWidth === 32 && t.isSigned;
export const isFloat32 = (t: DataType): boolean =>
  DataType.isFloat(t) && t.typeId === Type.Float && (t as unknown as { precision: number }).precision === 1;
export const isUtf8 = (t: DataType): boolean => DataType.isUtf8(t);
export const isInt32List = (t: DataType): boolean => DataType.isList(t) && isInt32(t.children[0].type);
export const isFixedList =
  (child: (t: DataType) => boolean) =>
  (t: DataType): boolean =>
    DataType.isFixedSizeList(t) && child(t.children[0].type);
export const isDictionaryUtf8 = (t: DataType): boolean => DataType.isDictionary(t) && DataType.isUtf8(t.dictionary);
export const isTimestampMs = (t: DataType): boolean => DataType.isTimestamp(t) && (t as unknown as { unit: number }).unit === 1;
