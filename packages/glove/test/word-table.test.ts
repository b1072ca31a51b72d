import { describe, expect, it } from 'vitest';
import { WordVectors } from '../src/index.js';
import { WordTable } from '../src/word-table.js';

describe('WordTable: packed UTF-8 words with a hash index', () => {
  it('adds, finds and decodes many words through growth and rehashing', () => {
    const table = new WordTable(4, 2);
    const words = Array.from({ length: 5000 }, (_, i) => (i % 3 === 0 ? `wörd${i}` : `w${i}`));
    words.forEach((w, i) => {
      const bytes = Buffer.from(w);
      expect(table.add(bytes, 0, bytes.length)).toEqual({ row: i, added: true });
    });
    const again = Buffer.from('xx' + words[1234] + 'yy');
    expect(table.add(again, 2, again.length - 2)).toEqual({ row: 1234, added: false });
    expect(table.size).toBe(5000);
    words.forEach((w, i) => expect(table.rowOf(w)).toBe(i));
    expect(table.rowOf('absent')).toBe(-1);
    expect(table.rowOf('')).toBe(-1);
    expect(table.words()).toEqual(words);
  });

  it('a table over Arrow-style buffers indexes itself on the first lookup', () => {
    const bytes = Buffer.from('theof東京');
    const table = WordTable.fromUtf8(bytes, Int32Array.from([0, 3, 5, 11]), 3);
    expect(table.rowOf('東京')).toBe(2);
    expect(table.rowOf('of')).toBe(1);
    expect(table.words()).toEqual(['the', 'of', '東京']);
  });

  it('WordVectors from strings rejects duplicates and non-strings', () => {
    expect(() => new WordVectors(['a', 'a'], new Float32Array(2), 1)).toThrow(/appears twice/);
    const v = new WordVectors(['a', 'b'], Float32Array.from([1, 2]), 1);
    expect(v.vector('b')![0]).toBe(2);
    expect(v.index.get('a')).toBe(0);
  });
});
