import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hasShared } from '@seqlearn/vitest-preset/shared';
import { lineKernelAvailable, setLineKernelEnabled } from '../src/line-kernel.js';
import { parseWordVectors, readWordVectors, VectorsArchiveError, VectorsFormatError, type WordVectors } from '../src/index.js';
import { GLOVE_GZ, gloveLines, tempDir } from './fixtures.js';

afterEach(() => setLineKernelEnabled(true));

/** Parses with the WebAssembly loop, then with the JavaScript one. */
function bothWays(text: string | Buffer, dim?: number): { wasm: WordVectors; js: WordVectors } {
  setLineKernelEnabled(true);
  const wasm = parseWordVectors(text, { format: 'glove', dim });
  setLineKernelEnabled(false);
  const js = parseWordVectors(text, { format: 'glove', dim });
  setLineKernelEnabled(true);
  return { wasm, js };
}

const bits = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The reference for one token: Python's float() to float32, i.e. parseFloat then round to float32. */
function reference(token: string): number {
  const t = token.toLowerCase().replace(/^\+/, '');
  if (/^-?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^-?nan$/.test(t)) return NaN;
  return Math.fround(Number.parseFloat(token));
}

function expectReference(vectors: WordVectors, lines: string[][]): void {
  const expected = new Float32Array(lines.length * vectors.dim);
  const rows = new Map<string, number>();
  for (const [word, ...tokens] of lines) {
    if (!rows.has(word)) rows.set(word, rows.size);
    expected.set(tokens.map(reference), rows.get(word)! * vectors.dim);
  }
  expect(vectors.words).toEqual([...rows.keys()]);
  expect(bits(vectors.data).equals(bits(expected.subarray(0, rows.size * vectors.dim)))).toBe(true);
}

describe('the WebAssembly line loop', () => {
  it('is built (by the global setup) and used', () => {
    expect(lineKernelAvailable(), 'wasm/parse-lines.wasm is missing: run node scripts/build-wasm.mjs').toBe(true);
  });

  it('gives the values of parseFloat rounded to float32 for every spelling, as the JavaScript loop does', () => {
    const tokens = [
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
      '1234567890123456',
      '12345678901234567',
      '0.12345678901234',
      '0.123456789012345',
      '-0.1234567890123',
      '0.000000000000001',
      '0.0000000000000001',
      '00000000000001.25',
      '9007199254740993',
      '-0.0033259',
      'nan',
      '-inf',
      'Infinity',
      '3.4028234663852886e38',
      '1e-45',
      '99999999.9999999',
      '4.',
      '-9.',
      '0.0',
      '-0.000',
    ];
    // Each token in several positions: first, middle and last value of a line.
    const lines: string[][] = [];
    tokens.forEach((token, i) => {
      lines.push([`first${i}`, token, '1', '2']);
      lines.push([`middle${i}`, '1', token, '2']);
      lines.push([`last${i}`, '1', '2', token]);
    });
    const { wasm, js } = bothWays(lines.map((l) => l.join(' ')).join('\n') + '\n');
    expectReference(wasm, lines);
    expect(bits(wasm.data).equals(bits(js.data))).toBe(true);
  });

  it('agrees with the JavaScript loop on random lines, random spellings and odd spacing', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');
    const token = (): string => {
      const sign = random() < 0.5 ? '-' : '';
      const whole = digits(Math.floor(random() * 4));
      const fraction = digits(Math.floor(random() * 14));
      const dot = random() < 0.9 ? '.' : '';
      let t = sign + whole + dot + (dot ? fraction : '');
      if (!/\d/.test(t)) t += '7';
      if (random() < 0.02) t += `e${random() < 0.5 ? '-' : ''}${Math.floor(random() * 30)}`;
      return t;
    };
    const lines: string[][] = [];
    const texts: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const word = `w${Math.floor(random() * 3000)}é`; // repeats: a later line replaces an earlier one
      const values = Array.from({ length: 12 }, token);
      lines.push([word, ...values]);
      const gap = random() < 0.05 ? '\t' : random() < 0.05 ? '  ' : ' ';
      const end = random() < 0.05 ? ' \r' : random() < 0.05 ? '\r' : '';
      texts.push(`${word}${gap}${values.join(' ')}${end}`);
      if (random() < 0.02) texts.push(random() < 0.5 ? '' : '   ');
    }
    const { wasm, js } = bothWays(texts.join('\n') + '\n');
    expect(wasm.words).toEqual(js.words);
    expect(bits(wasm.data).equals(bits(js.data))).toBe(true);
    // Against the reference, with duplicates resolved as a dict would.
    const last = new Map<string, string[]>();
    for (const [word, ...values] of lines) last.set(word, values);
    const firstSeen = [...new Map(lines.map(([word]) => [word, true])).keys()];
    expectReference(
      wasm,
      firstSeen.map((word) => [word, ...last.get(word)!]),
    );
  });

  it('reports bad lines with the same typed errors, lines and columns as the JavaScript loop', () => {
    const good = (word: string): string => `${word} 0.5 -1.25 3`;
    const cases = [
      [good('a'), good('b'), 'c 1 2'].join('\n'),
      [good('a'), 'b 1 2 3 4', good('c')].join('\n'),
      [good('a'), good('b'), good('c'), 'd 1 x2 3'].join('\n'),
      [good('a'), 'b 1 1.2.3 3'].join('\n'),
      [good('a'), 'b 1 --1 3'].join('\n'),
      [good('a'), 'b 1 . 3'].join('\n'),
      [good('a'), 'b'].join('\n'),
    ];
    for (const text of cases) {
      const outcome = (on: boolean): VectorsFormatError => {
        setLineKernelEnabled(on);
        try {
          parseWordVectors(text + '\n', { name: 'bad.txt' });
        } catch (error) {
          return error as VectorsFormatError;
        }
        throw new Error(`no error for ${JSON.stringify(text)}`);
      };
      const wasm = outcome(true);
      const js = outcome(false);
      expect(wasm).toBeInstanceOf(VectorsFormatError);
      expect([wasm.file, wasm.line, wasm.column, wasm.message]).toEqual([js.file, js.line, js.column, js.message]);
    }
  });
});

describe.skipIf(!hasShared)('the WebAssembly line loop on the real GloVe file', () => {
  it('equals Math.fround(parseFloat(token)) for all 10,000,000 values', () => {
    const text = gunzipSync(readFileSync(GLOVE_GZ));
    const vectors = parseWordVectors(text, { format: 'glove' });
    expect([vectors.size, vectors.dim]).toEqual([100_000, 100]);
    let position = 0;
    let mismatches = 0;
    for (let row = 0; row < vectors.size; row++) {
      const newline = text.indexOf(10, position);
      const tokens = text.toString('latin1', position, newline).split(' ');
      for (let j = 0; j < 100; j++) {
        if (!Object.is(vectors.data[row * 100 + j], Math.fround(Number.parseFloat(tokens[j + 1])))) mismatches++;
      }
      position = newline + 1;
    }
    expect(mismatches).toBe(0);
  });
});

describe.skipIf(!hasShared)('errors deep in a large gzip file, read in chunks through the WebAssembly loop', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('a bad line names its line number; a cut-off file is a truncated gzip', async () => {
    const lines = await gloveLines(4000); // ~3.4 MB: many 128 KiB chunks
    const badAt = 3210; // 1-based line number
    const broken = [...lines.slice(0, badAt - 1), 'broken 0.5 nope', ...lines.slice(badAt - 1)];
    const badPath = join(tmp.dir, 'bad.txt.gz');
    writeFileSync(badPath, gzipSync(broken.join('\n') + '\n'));
    const bad = await readWordVectors(badPath).then(
      () => undefined,
      (e: unknown) => e as VectorsFormatError,
    );
    expect(bad).toBeInstanceOf(VectorsFormatError);
    expect([bad!.file, bad!.line]).toEqual([badPath, badAt]);

    const whole = gzipSync(lines.join('\n') + '\n');
    const cutPath = join(tmp.dir, 'cut.txt.gz');
    writeFileSync(cutPath, whole.subarray(0, whole.length >> 1));
    const cut = await readWordVectors(cutPath).then(
      () => undefined,
      (e: unknown) => e as VectorsArchiveError,
    );
    expect(cut).toBeInstanceOf(VectorsArchiveError);
    expect(cut!.message).toContain('truncated or corrupt gzip');
  });
});
