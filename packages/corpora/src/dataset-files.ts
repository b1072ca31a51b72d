import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The names under which the book's data sets are found in a data folder, in order of
 * preference: the official download first, then the forms a user may have instead (extracted,
 * uncompressed, the shared trimmed copies).
 */
export const DATASET_FILE_NAMES = {
  imdb: ['aclImdb_v1_labelled.tar.gz', 'aclImdb_v1.tar.gz', 'aclImdb'],
  reuters: ['reuters21578.tar.gz', 'reuters21578'],
  glove: ['glove.6B.100d.txt', 'glove.6B.100d.txt.gz', 'glove.6B.100d.top100k.txt.gz', 'glove.6B.zip'],
  jena: ['jena_climate_2009_2016.csv', 'jena_climate_2009_2016.csv.zip'],
  prsa: ['PRSA_data_2010.1.1-2014.12.31.csv'],
} as const satisfies Record<string, readonly string[]>;

export type DatasetFileKey = keyof typeof DATASET_FILE_NAMES;

/** The path of the first of the data set's file names that exists in `dir` (file or folder), or undefined. */
export function findDatasetFile(dir: string, name: DatasetFileKey): string | undefined {
  return DATASET_FILE_NAMES[name].map((candidate) => join(dir, candidate)).find((path) => existsSync(path));
}
