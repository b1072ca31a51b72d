/** A data set `fetchDataset` knows how to download. */
export interface DatasetSource {
  /** The canonical download. */
  url: string;
  /** The name of the file in the cache. */
  fileName: string;
  /**
   * The expected sha256 where a published or widely reproduced value exists. Where none is
   * known it is undefined and the download is not verified unless the caller passes one.
   */
  sha256?: string;
  /** The reader that takes the downloaded file. */
  reader: string;
}

export type DatasetName = 'imdb' | 'glove.6B' | 'jena' | 'reuters21578';

export const DATASETS: Readonly<Record<DatasetName, DatasetSource>> = {
  imdb: {
    url: 'https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz',
    fileName: 'aclImdb_v1.tar.gz',
    // The value TFDS and many download scripts check against.
    sha256: 'c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe',
    reader: 'readImdb(path)',
  },
  'glove.6B': {
    url: 'https://nlp.stanford.edu/data/glove.6B.zip',
    fileName: 'glove.6B.zip',
    reader: "@seqlearn/glove's reader (pick the entry by dimension)",
  },
  jena: {
    url: 'https://s3.amazonaws.com/keras-datasets/jena_climate_2009_2016.csv.zip',
    fileName: 'jena_climate_2009_2016.csv.zip',
    reader: 'readJenaClimate(path)',
  },
  reuters21578: {
    url: 'https://kdd.ics.uci.edu/databases/reuters21578/reuters21578.tar.gz',
    fileName: 'reuters21578.tar.gz',
    reader: 'readReuters(path)',
  },
};
