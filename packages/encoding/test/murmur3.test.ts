import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashedWordOneHot, murmurHash3, UnencodableTextError } from '../src/index.js';

interface Fixture {
  cases: { word: string; seed: number; signed: number; unsigned: number }[];
  buckets: { word: string; dimensionality: number; bucket: number }[];
}

// Written by test/fixtures/make_murmur3_fixture.py from scikit-learn's murmurhash3_32.
const fixture = JSON.parse(readFileSync(new URL('./fixtures/murmur3_sklearn.json', import.meta.url), 'utf8')) as Fixture;

describe('murmurHash3 against scikit-learn', () => {
  it('equals sklearn.utils.murmurhash3_32 for every word and seed, signed and unsigned', () => {
    expect(fixture.cases.length).toBeGreaterThan(50);
    for (const c of fixture.cases) {
      const h = murmurHash3(c.word, c.seed);
      expect(h, `${JSON.stringify(c.word)} seed ${c.seed}`).toBe(c.signed);
      expect(h >>> 0).toBe(c.unsigned);
    }
  });

  it("puts words in listing 6.4's bucket abs(murmurhash3_32(word)) % dimensionality", () => {
    const singleWords = fixture.buckets.filter((b) => !b.word.includes(' '));
    expect(singleWords.length).toBeGreaterThan(50);
    for (const b of singleWords) {
      const r = hashedWordOneHot([b.word], { dimensionality: b.dimensionality, maxLength: 1 });
      // str.split() drops the empty word, leaving an all-zero step.
      expect(r.indices[0], `${JSON.stringify(b.word)} into ${b.dimensionality}`).toBe(b.word === '' ? -1 : b.bucket);
    }
  });

  it("refuses text with a lone surrogate, as Python's str.encode() does", () => {
    expect(() => murmurHash3('ab\ud83d')).toThrow(UnencodableTextError);
  });
});
