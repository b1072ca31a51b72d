import { describe, expect, it } from 'vitest';
import { hasGolden, loadGolden } from '@seqlearn/vitest-preset/golden';
import { padSequences, textToWordSequence, Tokenizer, type MatrixMode, type TokenizerOptions } from '../src/index.js';

interface TokenizerCase {
  config: { num_words?: number; filters?: string; lower?: boolean; split?: string; char_level?: boolean; oov_token?: string };
  fit_texts: string[];
  query_texts: string[];
  word_index: Array<[string, number]>;
  word_counts: Array<[string, number]>;
  word_docs: Array<[string, number]>;
  index_docs: Array<[number, number]>;
  document_count: number;
  texts_to_sequences: number[][];
  sequences_to_texts: string[];
  [matrix: `texts_to_matrix_${string}`]: number[][] | undefined;
}

const load = loadGolden;

function options(config: TokenizerCase['config']): TokenizerOptions {
  return {
    numWords: config.num_words,
    filters: config.filters,
    lower: config.lower,
    split: config.split,
    charLevel: config.char_level,
    oovToken: config.oov_token,
  };
}

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(actual[i]!.length).toBe(expected[i]!.length);
    for (let j = 0; j < expected[i]!.length; j++) {
      if (Math.abs(actual[i]![j]! - expected[i]![j]!) > 1e-6) {
        throw new Error(`row ${i}, column ${j}: ${actual[i]![j]} != ${expected[i]![j]}`);
      }
    }
  }
}

const byKey = <K>(a: [K, number], b: [K, number]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

describe.skipIf(!hasGolden)('golden: tokenizer.json', () => {
  const cases = hasGolden ? load<TokenizerCase[]>('tokenizer.json') : [];

  it('has cases', () => expect(cases.length).toBeGreaterThan(0));

  for (const [n, c] of cases.entries()) {
    describe(`case ${n} ${JSON.stringify(c.config)}`, () => {
      const tokenizer = new Tokenizer(options(c.config));
      tokenizer.fitOnTexts(c.fit_texts);

      it('fits word_index, word_counts (in order), word_docs, index_docs, document_count', () => {
        expect([...tokenizer.wordIndex]).toEqual(c.word_index);
        expect([...tokenizer.wordCounts]).toEqual(c.word_counts);
        expect([...tokenizer.wordDocs].sort(byKey)).toEqual([...c.word_docs].sort(byKey));
        expect([...tokenizer.indexDocs].sort((a, b) => a[0] - b[0])).toEqual([...c.index_docs].sort((a, b) => a[0] - b[0]));
        expect(tokenizer.documentCount).toBe(c.document_count);
        // index_word is word_index inverted, in word_index order.
        expect([...tokenizer.indexWord]).toEqual(c.word_index.map(([w, i]) => [i, w]));
      });

      it('textsToSequences and sequencesToTexts', () => {
        const sequences = tokenizer.textsToSequences(c.query_texts);
        expect(sequences).toEqual(c.texts_to_sequences);
        expect(tokenizer.sequencesToTexts(sequences)).toEqual(c.sequences_to_texts);
        const ragged = tokenizer.textsToRaggedSequences(c.query_texts);
        expect(Array.from(ragged.values)).toEqual(c.texts_to_sequences.flat());
      });

      for (const mode of ['binary', 'count', 'freq', 'tfidf'] as MatrixMode[]) {
        const expected = c[`texts_to_matrix_${mode}`];
        if (expected === undefined) continue;
        it(`textsToMatrix ${mode}`, () => {
          const matrix = tokenizer.textsToMatrix(c.query_texts, mode);
          expect(matrix.shape).toEqual([expected.length, expected[0]!.length]);
          expectClose(matrix.toArray(), expected);
        });
      }

      it('survives toJSON / fromJSON with the same results', () => {
        const copy = Tokenizer.fromJSON(tokenizer.toJSON());
        expect([...copy.wordIndex]).toEqual(c.word_index);
        expect([...copy.wordCounts]).toEqual(c.word_counts);
        expect(copy.textsToSequences(c.query_texts)).toEqual(c.texts_to_sequences);
        expect(copy.toJSON()).toBe(tokenizer.toJSON());
      });

      it('streams: async fit over an async iterable gives the same state', async () => {
        async function* stream(): AsyncGenerator<string> {
          for (const text of c.fit_texts) yield text;
        }
        const streamed = new Tokenizer(options(c.config));
        await streamed.fitOnTextsAsync(stream());
        expect([...streamed.wordIndex]).toEqual(c.word_index);
        const out: number[][] = [];
        for await (const seq of streamed.textsToSequencesAsync(stream())) out.push(seq);
        expect(out).toEqual(streamed.textsToSequences(c.fit_texts));
      });
    });
  }
});

describe.skipIf(!hasGolden)('golden: text_to_word_sequence.json', () => {
  const cases = hasGolden
    ? load<Array<{ text: string; config: { filters?: string; lower?: boolean; split?: string }; words: string[] }>>(
        'text_to_word_sequence.json',
      )
    : [];
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));
  it('matches every case', () => {
    for (const [n, c] of cases.entries()) {
      expect(textToWordSequence(c.text, c.config), `case ${n}`).toEqual(c.words);
    }
  });
});

describe.skipIf(!hasGolden)('golden: pad_sequences.json', () => {
  type PadCase = {
    sequences: number[][];
    config: { maxlen?: number; padding?: 'pre' | 'post'; truncating?: 'pre' | 'post'; value?: number; dtype?: 'int32' | 'float32' };
    result: number[][];
  };
  const cases = hasGolden ? load<PadCase[]>('pad_sequences.json') : [];
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));
  it('matches every case', () => {
    for (const [n, c] of cases.entries()) {
      const padded = padSequences(c.sequences, c.config);
      expect(padded.values).toBeInstanceOf(c.config.dtype === 'float32' ? Float32Array : Int32Array);
      if (c.config.dtype === 'float32') expectClose(padded.toArray(), c.result);
      else expect(padded.toArray(), `case ${n}`).toEqual(c.result);
    }
  });
  it('gives the same result from ragged input', () => {
    for (const c of cases) {
      if (c.config.dtype !== undefined) continue;
      const offsets = new Int32Array(c.sequences.length + 1);
      c.sequences.forEach((s, i) => (offsets[i + 1] = offsets[i]! + s.length));
      const ragged = { values: Int32Array.from(c.sequences.flat()), offsets };
      expect(padSequences(ragged, c.config).toArray()).toEqual(c.result);
    }
  });
});
