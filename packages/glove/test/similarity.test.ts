import { beforeAll, describe, expect, it } from 'vitest';
import { hasShared } from '@seqlearn/vitest-preset/shared';
import { parseWordVectors, UnknownWordError, VectorsOptionError, type WordVectors } from '../src/index.js';
import { gloveLines } from './fixtures.js';

/** Brute force in float64 over per-word arrays: the independent reference. */
function naiveRanking(vectors: WordVectors, query: number[], exclude: Set<string>): Array<[string, number]> {
  const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
  const q = norm(query);
  return vectors.words
    .filter((w) => !exclude.has(w))
    .map((w): [string, number] => {
      const v = Array.from(vectors.vector(w)!);
      return [w, v.reduce((s, x, j) => s + x * query[j], 0) / (norm(v) * q)];
    })
    .sort((a, b) => b[1] - a[1]);
}

describe('similarity on a toy table', () => {
  const v = parseWordVectors('a 1 0\nb 0 1\nc 1 1\nd -1 0\nz 0 0\n');
  it('nearest excludes the word itself and ranks by cosine', () => {
    expect(v.nearest('a', 2).map((n) => n.word)).toEqual(['c', 'b']);
    expect(v.nearest('a', 1)[0].similarity).toBeCloseTo(Math.SQRT1_2, 6);
    expect(v.nearest([0, 2], 1)[0].word).toBe('b');
    expect(v.nearest('a', 10, { exclude: ['c'] }).map((n) => n.word)).toEqual(['b', 'd']);
  });
  it('an all-zero row never ranks; k larger than the table is fine', () => {
    expect(v.nearest('a', 100).map((n) => n.word)).not.toContain('z');
  });
  it('unknown words and bad k are typed errors', () => {
    expect(() => v.nearest('nope')).toThrow(UnknownWordError);
    expect(() => v.analogy('a', 'b', 'nope')).toThrow(/"nope" has no vector/);
    expect(() => v.nearest('a', 0)).toThrow(VectorsOptionError);
    expect(() => v.nearest([1, 2, 3])).toThrow(VectorsOptionError);
  });
  it('similarity of two words', () => {
    expect(v.similarity('a', 'c')).toBeCloseTo(Math.SQRT1_2, 6);
    expect(v.similarity('a', 'd')).toBeCloseTo(-1, 6);
  });
});

describe.skipIf(!hasShared)('similarity on the 20,000 most frequent real GloVe words', () => {
  let vectors: WordVectors;
  beforeAll(async () => {
    vectors = parseWordVectors((await gloveLines(20000)).join('\n'), { format: 'glove' });
  });

  it('nearest agrees with a float64 brute force over per-word arrays', () => {
    for (const word of ['king', 'france', 'computer']) {
      const want = naiveRanking(vectors, Array.from(vectors.vector(word)!), new Set([word])).slice(0, 10);
      const got = vectors.nearest(word, 10);
      expect(got.map((n) => n.word)).toEqual(want.map(([w]) => w));
      got.forEach((n, i) => expect(n.similarity).toBeCloseTo(want[i][1], 5));
    }
  });

  it('analogy(king, man, woman) is queen, and agrees with the brute force of a − b + c over unit vectors', () => {
    const unit = (w: string): number[] => {
      const v = Array.from(vectors.vector(w)!);
      const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      return v.map((x) => x / n);
    };
    const [a, b, c] = [unit('king'), unit('man'), unit('woman')];
    const query = a.map((x, j) => x - b[j] + c[j]);
    const want = naiveRanking(vectors, query, new Set(['king', 'man', 'woman'])).slice(0, 5);
    const got = vectors.analogy('king', 'man', 'woman', 5);
    expect(got.map((n) => n.word)).toEqual(want.map(([w]) => w));
    expect(got[0].word).toBe('queen');
  });
});
