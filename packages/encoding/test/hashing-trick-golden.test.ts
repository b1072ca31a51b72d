import { describe, expect, it } from 'vitest';
import { hasGolden, loadGolden } from '@seqlearn/vitest-preset/golden';
import { hashingTrick } from '../src/index.js';

interface HashingCase {
  text: string;
  n: number;
  hash_function: string;
  result: number[];
}

describe.skipIf(!hasGolden)('golden: hashing_trick_md5.json', () => {
  const cases = hasGolden ? loadGolden<HashingCase[]>('hashing_trick_md5.json') : [];

  it('holds cases', () => expect(cases.length).toBeGreaterThan(0));

  it('matches Keras on every case', () => {
    for (const c of cases) {
      expect(c.hash_function).toBe('md5');
      expect(hashingTrick(c.text, c.n, { hashFunction: 'md5' }), `${JSON.stringify(c.text.slice(0, 60))}, n = ${c.n}`).toEqual(c.result);
    }
  });
});
