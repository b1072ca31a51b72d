import { Table } from 'apache-arrow';
import {
  assembleTable,
  fixedSizeListColumn,
  int32Column,
  int32ListColumn,
  metadataMap,
  type NamedColumn,
  type NumericArray,
} from '../columns.js';
import { META } from '../metadata.js';
import { isFixedList, isInt32, isInt32List, optionalColumn, requireColumn, requireKind } from './check.js';

export interface SequencesMeta {
  /** The fitted tokenizer's JSON (Keras `to_json` layout), so the table can be decoded. */
  tokenizer?: string;
  metadata?: Record<string, string>;
}

function sequencesMetadata(meta: SequencesMeta): Map<string, string> {
  return metadataMap(
    meta.metadata,
    { [META.kind]: 'sequences' },
    meta.tokenizer === undefined ? undefined : { [META.tokenizer]: meta.tokenizer },
  );
}

function withLabel(columns: NamedColumn[], label: NumericArray | undefined): NamedColumn[] {
  return label === undefined ? columns : [...columns, { name: 'label', data: int32Column(label, 'label') }];
}

/** Ragged token sequences: `tokens: List<Int32>`, optional `label: Int32`. */
export function raggedSequencesTable(columns: { tokens: readonly NumericArray[]; label?: NumericArray }, meta: SequencesMeta = {}): Table {
  return assembleTable(
    withLabel([{ name: 'tokens', data: int32ListColumn(columns.tokens, 'tokens') }], columns.label),
    sequencesMetadata(meta),
  );
}

/** Padded token sequences: `tokens: FixedSizeList<Int32>[maxlen]` over one row-major buffer (kept as is). */
export function paddedSequencesTable(
  columns: { tokens: Int32Array; maxlen: number; label?: NumericArray },
  meta: SequencesMeta = {},
): Table {
  return assembleTable(
    withLabel([{ name: 'tokens', data: fixedSizeListColumn(columns.tokens, columns.maxlen, 'tokens') }], columns.label),
    sequencesMetadata(meta),
  );
}

export function validateSequences(table: Table): void {
  requireKind(table, 'sequences');
  requireColumn(
    table,
    'sequences',
    'tokens',
    'List<Int32> or FixedSizeList<Int32>[maxlen]',
    (t) => isInt32List(t) || isFixedList(isInt32)(t),
  );
  optionalColumn(table, 'sequences', 'label', 'Int32', isInt32);
}
