import { describe, expect, it } from 'vitest';
import { hasGolden, loadGolden } from '@seqlearn/vitest-preset/golden';
import {
  EncodingArgumentError,
  PRINTABLE,
  TextTypeError,
  buildWordIndex,
  charOneHot,
  hashedWordOneHot,
  murmurHash3,
  pythonSplit,
  wordOneHot,
} from '../src/index.js';

interface OneHotGolden {
  samples: string[];
  word_token_index: Record<string, number>;
  word_one_hot: number[][][];
  printable: string;
  char_one_hot_argmax: number[][];
  char_one_hot_shape: [number, number, number];
}

/** NumPy's argmax over the last axis (0 for an all-zero step). */
function argmax(data: Float32Array, shape: readonly number[]): number[][] {
  const [n, steps, depth] = shape;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: steps }, (_, j) => {
      let best = 0;
      for (let k = 1; k < depth; k++) if (data[(i * steps + j) * depth + k] > data[(i * steps + j) * depth + best]) best = k;
      return best;
    }),
  );
}

function nested(data: Float32Array, [n, steps, depth]: readonly number[]): number[][][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: steps }, (_, j) => Array.from(data.subarray((i * steps + j) * depth, (i * steps + j + 1) * depth))),
  );
}

describe.skipIf(!hasGolden)('golden: one_hot_listings.json', () => {
  const golden = hasGolden ? loadGolden<OneHotGolden>('one_hot_listings.json') : undefined;

  it('listing 6.1: token_index, in insertion order', () => {
    const g = golden as OneHotGolden;
    expect([...buildWordIndex(g.samples)]).toEqual(Object.entries(g.word_token_index));
  });

  it('listing 6.1: the word-level one-hot tensor, value for value', () => {
    const g = golden as OneHotGolden;
    const result = wordOneHot(g.samples);
    const shape = [g.word_one_hot.length, g.word_one_hot[0].length, g.word_one_hot[0][0].length];
    expect(result.shape).toEqual(shape);
    expect(nested(result.data, result.shape)).toEqual(g.word_one_hot);
  });

  it("listing 6.2: string.printable and the character-level tensor's shape and argmax", () => {
    const g = golden as OneHotGolden;
    expect(PRINTABLE).toBe(g.printable);
    const result = charOneHot(g.samples);
    expect(result.shape).toEqual(g.char_one_hot_shape);
    expect(argmax(result.data, result.shape)).toEqual(g.char_one_hot_argmax);
    // argmax alone cannot tell a one-hot step from a step of several ones: count them too.
    const [n, steps, depth] = result.shape;
    for (let s = 0; s < n * steps; s++) {
      const ones = result.data.subarray(s * depth, (s + 1) * depth).reduce((a, b) => a + b, 0);
      const i = Math.floor(s / steps);
      expect(ones).toBe(s % steps < [...g.samples[i]].length ? 1 : 0);
    }
  });
});

describe('pythonSplit (str.split())', () => {
  it("splits on runs of Python whitespace, which differs from JavaScript's \\s", () => {
    expect(pythonSplit('  a\tb\n\nc  ')).toEqual(['a', 'b', 'c']);
    expect(pythonSplit('a\x1cb\x85c')).toEqual(['a', 'b', 'c']);
    expect(pythonSplit('a\ufeffb\u00a0c\u3000d')).toEqual(['a\ufeffb', 'c', 'd']);
    expect(pythonSplit('')).toEqual([]);
    expect(pythonSplit(' \t ')).toEqual([]);
  });
});

describe('wordOneHot and charOneHot beyond the golden samples', () => {
  it('keeps the first maxLength words and leaves unknown words as all-zero steps', () => {
    const tokenIndex = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    const r = wordOneHot(['a x b a b a'], { maxLength: 4, tokenIndex });
    expect(r.shape).toEqual([1, 4, 3]);
    expect(Array.from(r.indices)).toEqual([1, -1, 2, 1]);
    expect(Array.from(r.data)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0]);
  });

  it('steps over code points, cuts at maxLength and leaves characters outside the alphabet at zero', () => {
    const r = charOneHot(['a😀b', 'abcdef'], { maxLength: 4, characters: 'abc' });
    expect(r.shape).toEqual([2, 4, 4]);
    expect(Array.from(r.indices)).toEqual([1, -1, 2, -1, 1, 2, 3, -1]);
  });

  it('listing 6.4: buckets are abs(murmurhash3_32(word)) % dimensionality', () => {
    const samples = ['The cat sat on the mat.', 'The dog ate my homework.'];
    const r = hashedWordOneHot(samples, { dimensionality: 1000, maxLength: 10 });
    expect(r.shape).toEqual([2, 10, 1000]);
    samples.forEach((s, i) => {
      pythonSplit(s).forEach((w, j) => expect(r.indices[i * 10 + j]).toBe(Math.abs(murmurHash3(w)) % 1000));
    });
    expect(r.indices[6]).toBe(-1); // the first sample has only 6 words
    const ones = r.data.reduce((a, b) => a + b, 0);
    expect(ones).toBe(11);
  });

  it('refuses bad input with typed errors', () => {
    expect(() => wordOneHot('text' as unknown as string[])).toThrow(TextTypeError);
    expect(() => wordOneHot(['ok', 3 as unknown as string])).toThrow(/samples\[1\]: expected a string, got number 3/);
    expect(() => charOneHot(['x'], { maxLength: -1 })).toThrow(EncodingArgumentError);
    expect(() => hashedWordOneHot(['x'], { dimensionality: 0 })).toThrow(/dimensionality must be an integer ≥ 1/);
    expect(() => hashedWordOneHot(['x'], { hashFunction: 'sha1' as never })).toThrow(/unknown hashFunction/);
  });
});
