import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenPath, hasShared } from '@seqlearn/vitest-preset/shared';
import { embeddingMatrix, parseWordVectors, readWordVectors } from '../src/index.js';
import { GLOVE_GZ } from './fixtures.js';

interface Golden {
  glove_lines: string[];
  word_index: Array<[string, number]>;
  max_words: number;
  embedding_dim: number;
  matrix_row_sums: number[];
  rows_found: number;
}

/** Python's round(x, 4) for the row sums (no double is exactly halfway at 4 places here). */
const round4 = (x: number): number => Number(x.toFixed(4));

describe.skipIf(!hasShared)('golden: glove_embedding_matrix.json (listings 6.10-6.11)', () => {
  const golden = (): Golden => JSON.parse(readFileSync(goldenPath('glove_embedding_matrix.json'), 'utf8')) as Golden;

  it('builds the same matrix from the same GloVe lines and word index', () => {
    const g = golden();
    const vectors = parseWordVectors(g.glove_lines.join('\n') + '\n', { format: 'glove', name: 'glove_lines' });
    expect(vectors.size).toBe(g.glove_lines.length);
    expect(vectors.dim).toBe(g.embedding_dim);
    const result = embeddingMatrix(vectors, new Map(g.word_index), { maxWords: g.max_words });
    expect(result.maxWords).toBe(g.max_words);
    expect(result.dim).toBe(g.embedding_dim);
    expect(result.matrix.length).toBe(g.max_words * g.embedding_dim);
    expect(result.found).toBe(g.rows_found);
    expect(g.matrix_row_sums).toHaveLength(g.max_words);
    for (let i = 0; i < g.max_words; i++) {
      let sum = 0;
      for (let j = 0; j < g.embedding_dim; j++) sum += result.matrix[i * g.embedding_dim + j];
      expect(Math.abs(round4(sum) - g.matrix_row_sums[i]), `row ${i}`).toBeLessThanOrEqual(1e-6);
    }
  });

  it('reports coverage: found + missing = indices 1..maxWords-1, missing listed by frequency', () => {
    const g = golden();
    const vectors = parseWordVectors(g.glove_lines.join('\n'), { format: 'glove' });
    const result = embeddingMatrix(vectors, Object.fromEntries(g.word_index), { maxWords: g.max_words, missingListSize: 5 });
    const inRange = g.word_index.filter(([, i]) => i >= 1 && i < g.max_words);
    const lines = new Set(g.glove_lines.map((l) => l.split(' ')[0]));
    const missing = inRange.filter(([w]) => !lines.has(w)).sort((a, b) => a[1] - b[1]);
    expect(result.found + result.missing).toBe(inRange.length);
    expect(result.missing).toBe(missing.length);
    expect(result.mostFrequentMissing).toEqual(missing.slice(0, 5).map(([w]) => w));
    for (const [word, i] of missing.slice(0, 20)) {
      expect(
        Array.from(result.matrix.subarray(i * g.embedding_dim, (i + 1) * g.embedding_dim)).every((v) => v === 0),
        word,
      ).toBe(true);
    }
  });

  it('the real GloVe file read with the word index as vocabulary gives the golden rows of the words it shares', async () => {
    const g = golden();
    const wordIndex = new Map(g.word_index);
    const real = await readWordVectors(GLOVE_GZ, { vocabulary: wordIndex });
    expect(real.size).toBeLessThanOrEqual(wordIndex.size);
    expect(real.words.every((w) => wordIndex.has(w))).toBe(true);
    const fromGolden = parseWordVectors(g.glove_lines.join('\n'), { format: 'glove' });
    const shared = real.words.filter((w) => fromGolden.has(w));
    expect(shared.length).toBeGreaterThan(300);
    for (const word of shared) expect(real.vector(word)).toEqual(fromGolden.vector(word));
  });
});
