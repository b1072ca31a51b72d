import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '@seqlearn/dataset';
import { textToWordSequence } from '@seqlearn/text';
import {
  EncodingArgumentError,
  TextTypeError,
  UnencodableTextError,
  hashingTrick,
  md5Hash,
  md5Mod,
  murmurHash3,
  oneHot,
} from '../src/index.js';

/** Python's int(md5(word.encode()).hexdigest(), 16), computed independently of src/md5.ts. */
function md5BigInt(word: string): bigint {
  return BigInt(`0x${createHash('md5').update(Buffer.from(word, 'utf8')).digest('hex')}`);
}

describe('md5', () => {
  const words = ['', 'a', 'the', 'café', '日本語', '😀', "don't", 'x'.repeat(300)];

  it('md5Hash is the digest read as a big-endian 128-bit integer', () => {
    for (const w of words) expect(md5Hash(w)).toBe(md5BigInt(w));
  });

  it('hashes the UTF-8 bytes of every length 0 … 300 and of random Unicode, as Python hashes word.encode()', () => {
    for (let n = 0; n <= 300; n++) {
      const w = 'abcdefghijklmnopqrstuvwxyz'.repeat(12).slice(0, n);
      expect(md5Hash(w), `length ${n}`).toBe(md5BigInt(w));
    }
    const rng = createRng(7);
    const alphabet = ['a', 'Z', '9', 'é', 'ß', '—', '日', '語', '😀', '𝄞'];
    for (let t = 0; t < 300; t++) {
      const w = Array.from({ length: rng.nextInt(120) }, () => alphabet[rng.nextInt(alphabet.length)]).join('');
      expect(md5Hash(w), JSON.stringify(w)).toBe(md5BigInt(w));
      expect(md5Mod(w, 1048575)).toBe(Number(md5BigInt(w) % 1048575n));
    }
  });

  it('md5Mod reduces exactly in each of its arithmetic regimes', () => {
    // 32-bit digits up to 2^21, byte digits up to 2^44, BigInt above.
    const moduli = [
      1,
      2,
      9,
      999,
      2 ** 21 - 1,
      2 ** 21,
      2 ** 21 + 1,
      1048575,
      2 ** 32 + 15,
      2 ** 44,
      2 ** 44 + 1,
      2 ** 50 - 27,
      Number.MAX_SAFE_INTEGER,
    ];
    for (const w of words) {
      for (const m of moduli) expect(md5Mod(w, m), `${w} % ${m}`).toBe(Number(md5BigInt(w) % BigInt(m)));
    }
  });
});

describe('hashingTrick and oneHot', () => {
  const text = 'The quick brown fox, the LAZY dog.';

  it('splits with textToWordSequence and maps each word to hash % (n - 1) + 1', () => {
    const words = textToWordSequence(text);
    expect(hashingTrick(text, 1000, { hashFunction: 'md5' })).toEqual(words.map((w) => Number(md5BigInt(w) % 999n) + 1));
    expect(hashingTrick(text, 1000)).toEqual(words.map((w) => (((murmurHash3(w) % 999) + 999) % 999) + 1));
  });

  it('passes filters, lower and split through', () => {
    const opts = { filters: '', lower: false, split: ',' };
    const words = textToWordSequence('A,b;c,,A', opts);
    expect(hashingTrick('A,b;c,,A', 50, { ...opts, hashFunction: 'md5' })).toEqual(words.map((w) => Number(md5BigInt(w) % 49n) + 1));
  });

  it("applies Python's % to custom hash functions, negative ones included", () => {
    expect(hashingTrick('a bb ccc', 5, { hashFunction: (w) => -w.length })).toEqual([4, 3, 2]);
    expect(hashingTrick('a bb ccc', 5, { hashFunction: (w) => -(10n ** 30n) - BigInt(w.length) })).toEqual([
      Number((((-(10n ** 30n) - 1n) % 4n) + 4n) % 4n) + 1,
      Number((((-(10n ** 30n) - 2n) % 4n) + 4n) % 4n) + 1,
      Number((((-(10n ** 30n) - 3n) % 4n) + 4n) % 4n) + 1,
    ]);
    expect(() => hashingTrick('a', 5, { hashFunction: () => NaN })).toThrow(/hashFunction returned number NaN for word "a"/);
  });

  it('oneHot is hashingTrick with the stable default hash, in [1, n)', () => {
    const ids = oneHot(text, 7);
    expect(ids).toEqual(hashingTrick(text, 7, { hashFunction: 'murmur3' }));
    expect(ids.every((i) => i >= 1 && i < 7)).toBe(true);
    expect(oneHot(text, 2)).toEqual(ids.map(() => 1));
  });

  it('refuses bad input with typed errors', () => {
    expect(() => hashingTrick(42 as unknown as string, 10)).toThrow(TextTypeError);
    expect(() => oneHot(null as unknown as string, 10)).toThrow(/oneHot: text: expected a string, got null/);
    for (const n of [1, 0, -3, 2.5, NaN, Infinity]) {
      expect(() => hashingTrick('a b', n), String(n)).toThrow(EncodingArgumentError);
      expect(() => oneHot('a b', n), String(n)).toThrow(/n must be an integer ≥ 2/);
    }
    expect(() => hashingTrick('a \ud800 b', 10, { hashFunction: 'md5' })).toThrow(UnencodableTextError);
    expect(() => hashingTrick('a \udc00x b', 10)).toThrow(/lone UTF-16 surrogate 0xdc00 at position 0/);
  });
});
