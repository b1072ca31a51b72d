import { describe, expect, it } from 'vitest';
import { OptionError, defaultCacheDir as seqlearnCacheDir } from '@seqlearn/dataset';
import { VectorsOptionError, WordVectors, defaultCacheDir, defaultVectorsCacheDir, embeddingMatrix } from '@seqlearn/glove';

describe('numWords and its deprecated alias maxWords', () => {
  const vectors = new WordVectors(['a', 'b'], new Float32Array([1, 2, 3, 4]), 2);
  const wordIndex = new Map([
    ['a', 1],
    ['b', 2],
  ]);

  it('give the same matrix', () => {
    const byNew = embeddingMatrix(vectors, wordIndex, { numWords: 2 });
    const byOld = embeddingMatrix(vectors, wordIndex, { maxWords: 2 });
    expect(byNew.numWords).toBe(2);
    expect(byNew.maxWords).toBe(2);
    expect([...byOld.matrix]).toEqual([...byNew.matrix]);
  });

  it('must agree when both are given', () => {
    expect(() => embeddingMatrix(vectors, wordIndex, { numWords: 2, maxWords: 3 })).toThrow(VectorsOptionError);
    expect(() => embeddingMatrix(vectors, wordIndex, { numWords: 0 })).toThrow(OptionError);
  });
});

describe('the vectors cache folder', () => {
  it('is the vectors folder of the seqlearn cache', () => {
    expect(defaultVectorsCacheDir({ SEQLEARN_CACHE_DIR: '/srv/c' })).toBe('/srv/c/vectors');
    expect(defaultVectorsCacheDir()).toBe(`${seqlearnCacheDir()}/vectors`);
    expect(defaultCacheDir).toBe(defaultVectorsCacheDir);
  });
});
