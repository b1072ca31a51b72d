import { Table } from 'apache-arrow';
import type { TableKind } from '../metadata.js';
import { validateCorpus } from './corpus.js';
import { validateEmbeddings } from './embeddings.js';
import { validateSequences } from './sequences.js';
import { validateTimeseries } from './timeseries.js';
import { validateVectors } from './vectors.js';

const validators: Record<TableKind, (table: Table) => void> = {
  corpus: validateCorpus,
  sequences: validateSequences,
  vectors: validateVectors,
  embeddings: validateEmbeddings,
  timeseries: validateTimeseries,
};

/** Throws a `SchemaError` naming the column and what was expected unless `table` is a valid `kind` table. */
export function validateTable(table: Table, kind: TableKind): void {
  validators[kind](table);
}
