import { describe, expect, it } from 'vitest';
import { Tokenizer } from '@seqlearn/text';
import { embeddingMatrix, parseWordVectors } from '../src/index.js';

describe('with a fitted @seqlearn/text Tokenizer', () => {
  const texts = ['the cat sat on the mat', 'the dog ate the cat food', 'a zyzzyva sat'];
  const tokenizer = new Tokenizer();
  tokenizer.fitOnTexts(texts);
  const vectors = parseWordVectors('the 1 1\ncat 2 2\nsat 3 3\ndog 4 4\nmat 5 5\nfood 6 6\nunused 9 9\n');

  it('the tokenizer (or its wordIndex) drives the matrix: row i is the vector of word index i', () => {
    const maxWords = 6;
    const fromTokenizer = embeddingMatrix(vectors, tokenizer, { maxWords });
    const fromMap = embeddingMatrix(vectors, tokenizer.wordIndex, { maxWords });
    expect(fromTokenizer.matrix).toEqual(fromMap.matrix);
    for (const [word, i] of tokenizer.wordIndex) {
      if (i >= maxWords) continue;
      const row = Array.from(fromTokenizer.matrix.subarray(i * 2, i * 2 + 2));
      expect(row, word).toEqual(vectors.has(word) ? Array.from(vectors.vector(word)!) : [0, 0]);
    }
    expect(Array.from(fromTokenizer.matrix.subarray(0, 2))).toEqual([0, 0]);
  });

  it('vocabulary: tokenizer.wordIndex keeps only the tokenizer words', () => {
    const kept = parseWordVectors('the 1 1\nunused 9 9\nzyzzyva 7 7\n', { vocabulary: tokenizer.wordIndex });
    expect(kept.words).toEqual(['the', 'zyzzyva']);
  });

  it('default maxWords covers every index; coverage counts words without vectors', () => {
    const result = embeddingMatrix(vectors, tokenizer);
    expect(result.maxWords).toBe(Math.max(...tokenizer.wordIndex.values()) + 1);
    const missing = [...tokenizer.wordIndex]
      .filter(([w]) => !vectors.has(w))
      .sort((a, b) => a[1] - b[1])
      .map(([w]) => w);
    expect(result.mostFrequentMissing).toEqual(missing);
    expect(result.found).toBe(tokenizer.wordIndex.size - missing.length);
  });
});
