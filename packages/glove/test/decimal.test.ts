import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hasShared } from '@seqlearn/vitest-preset/shared';
import { NOT_A_NUMBER, parseDecimal, parseDecimalRow } from '../src/decimal.js';
import { GLOVE_GZ } from './fixtures.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');
const parse = (s: string): number | typeof NOT_A_NUMBER => parseDecimal(bytes(s), 0, s.length);

describe('parseDecimal', () => {
  it('equals parseFloat on every spelling the fast path and the slow path take', () => {
    const cases = [
      '0',
      '-0',
      '+1',
      '1.',
      '.5',
      '-.5',
      '0.038194',
      '-0.24487',
      '1e5',
      '1E-5',
      '-2.5e+3',
      '123456789012345',
      '1234567890123456789',
      '0.1234567890123456789',
      '3.4028234663852886e38',
      '1e-45',
      '1e308',
      '1e-320',
      '00000000000000000001.25',
      '9007199254740993',
      '-0.0033259',
    ];
    for (const s of cases) expect(Object.is(parse(s), Number.parseFloat(s)), s).toBe(true);
  });

  it('accepts what Python float() accepts in vector files: nan, inf, infinity', () => {
    expect(parse('nan')).toBeNaN();
    expect(parse('NaN')).toBeNaN();
    expect(parse('inf')).toBe(Infinity);
    expect(parse('-Infinity')).toBe(-Infinity);
  });

  it('rejects what is not a number', () => {
    for (const s of ['', '-', '.', 'e5', '1e', '1.2.3', '0x10', '1,5', 'abc', '1e+', '--1', '1-']) expect(parse(s), s).toBe(NOT_A_NUMBER);
  });

  it('parseDecimalRow stores float32 values, counts tokens and points at the bad one', () => {
    const out = new Float32Array(4);
    const line = bytes('  0.5\t-1.25e1  3 ');
    expect(parseDecimalRow(line, 0, line.length, out, 1, 3)).toBe(3);
    expect(Array.from(out)).toEqual([0, 0.5, -12.5, 3]);
    const bad = bytes('1 2 x3 4');
    expect(parseDecimalRow(bad, 0, bad.length, out, 0, 4)).toBe(-1 - 2);
    const long = bytes('1 2 3 4 5 6');
    expect(parseDecimalRow(long, 0, long.length, out, 0, 4)).toBe(6);
  });
});

describe.skipIf(!hasShared)('parseDecimalRow on the real GloVe file', () => {
  it('equals Math.fround(parseFloat(token)) for all 10,000,000 values', () => {
    const text = gunzipSync(readFileSync(GLOVE_GZ));
    const row = new Float32Array(100);
    let position = 0;
    let values = 0;
    let mismatches = 0;
    while (position < text.length) {
      let newline = text.indexOf(10, position);
      if (newline < 0) newline = text.length;
      const wordEnd = text.indexOf(32, position);
      expect(parseDecimalRow(text, wordEnd, newline, row, 0, 100)).toBe(100);
      // The reference: the line's tokens as strings, through parseFloat, rounded to float32.
      const tokens = text.toString('latin1', wordEnd + 1, newline).split(' ');
      for (let j = 0; j < 100; j++) {
        if (!Object.is(row[j], Math.fround(Number.parseFloat(tokens[j])))) mismatches++;
      }
      values += 100;
      position = newline + 1;
    }
    expect(values).toBe(10_000_000);
    expect(mismatches).toBe(0);
  });
});
