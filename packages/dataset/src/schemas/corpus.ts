import { Table } from 'apache-arrow';
import {
  assembleTable,
  dictionaryUtf8Column,
  int32Column,
  metadataMap,
  type NamedColumn,
  type NumericArray,
  utf8Column,
} from '../columns.js';
import { SchemaError } from '../errors.js';
import { META, readJsonMeta } from '../metadata.js';
import { columnValues } from '../views.js';
import { isDictionaryUtf8, isInt32, isUtf8, optionalColumn, requireColumn, requireKind } from './check.js';

export interface CorpusColumns {
  text: readonly string[];
  /** Index into `labels`. */
  label: NumericArray;
  id?: readonly string[];
  /** Which split a row belongs to, e.g. `train` / `test`. */
  split?: readonly string[];
}

export interface CorpusMeta {
  /**
   * Label names; `label` values index this list. An empty list marks an unlabeled corpus (texts
   * to predict on), whose every `label` is -1.
   */
  labels: readonly string[];
  /** Where the texts came from (a path, a URL, a data set name). */
  source: string;
  metadata?: Record<string, string>;
}

/** A corpus table: `text: Utf8`, `label: Int32`, optional `id: Utf8` and `split: Dictionary<Int8, Utf8>`. */
export function corpusTable(columns: CorpusColumns, meta: CorpusMeta): Table {
  const named: NamedColumn[] = [
    { name: 'text', data: utf8Column(columns.text, 'text') },
    { name: 'label', data: int32Column(columns.label, 'label') },
  ];
  if (columns.id) named.push({ name: 'id', data: utf8Column(columns.id, 'id') });
  if (columns.split) named.push({ name: 'split', data: dictionaryUtf8Column(columns.split, 'split') });
  const table = assembleTable(
    named,
    metadataMap(meta.metadata, {
      [META.kind]: 'corpus',
      [META.labels]: JSON.stringify(meta.labels),
      [META.source]: meta.source,
    }),
  );
  validateCorpus(table);
  return table;
}

export function validateCorpus(table: Table): void {
  requireKind(table, 'corpus');
  requireColumn(table, 'corpus', 'text', 'Utf8', isUtf8);
  requireColumn(table, 'corpus', 'label', 'Int32', isInt32);
  optionalColumn(table, 'corpus', 'id', 'Utf8', isUtf8);
  optionalColumn(table, 'corpus', 'split', 'Dictionary<Int8, Utf8>', isDictionaryUtf8);
  const labels = readJsonMeta<unknown>(table, META.labels);
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) {
    throw new SchemaError(`corpus table: metadata "${META.labels}" must be a JSON list of label names`);
  }
  if (table.schema.metadata.get(META.source) === undefined) {
    throw new SchemaError(`corpus table: metadata "${META.source}" is missing`);
  }
  const { values } = columnValues(table, 'label');
  // An empty label list marks unlabeled texts (to predict on): every label is then -1.
  const unlabeled = labels.length === 0;
  for (let row = 0; row < values.length; row++) {
    const v = values[row];
    if (unlabeled ? v !== -1 : v < 0 || v >= labels.length) {
      throw new SchemaError(
        unlabeled
          ? `corpus table: column "label", row ${row}: ${v} in an unlabeled corpus (empty "${META.labels}"); expected -1`
          : `corpus table: column "label", row ${row}: ${v} is not an index into the ${labels.length} labels`,
        'label',
      );
    }
  }
}
