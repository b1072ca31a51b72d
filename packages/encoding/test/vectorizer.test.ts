import { describe, expect, it } from 'vitest';
import { META, SchemaError, columnValues, paddedSequencesTable, raggedSequencesTable, readJsonMeta, tableKind } from '@seqlearn/dataset';
import { Tokenizer } from '@seqlearn/text';
import { hasGolden, loadGolden } from '@seqlearn/vitest-preset/golden';
import {
  EncodingArgumentError,
  NotFittedError,
  SequenceVectorizer,
  TokenIdError,
  VECTORIZE_MODES,
  csrToDense,
  vectorizeSequences,
  vectorizeSequencesCsr,
  type CsrMatrix,
  type VectorizeMode,
} from '../src/index.js';

interface TokenizerCase {
  config: { num_words?: number; oov_token?: string; char_level?: boolean; lower?: boolean; filters?: string; split?: string };
  fit_texts: string[];
  query_texts: string[];
  word_index: [string, number][];
  index_docs: [number, number][];
  document_count: number;
  texts_to_sequences: number[][];
  texts_to_matrix_binary?: number[][];
  texts_to_matrix_count?: number[][];
  texts_to_matrix_freq?: number[][];
  texts_to_matrix_tfidf?: number[][];
}

const golden: TokenizerCase[] = hasGolden ? loadGolden<TokenizerCase[]>('tokenizer.json') : [];
const withMatrices = golden.filter((c) => c.texts_to_matrix_binary !== undefined);

/** Golden floats are float64 rounded to 6 places; ours are Float32 by the vectors contract, so allow its rounding too. */
function expectClose(actual: ArrayLike<number>, expected: number[][], label: string): void {
  const columns = expected[0]?.length ?? 0;
  expect(actual.length, label).toBe(expected.length * columns);
  for (let i = 0; i < expected.length; i++) {
    for (let j = 0; j < columns; j++) {
      const e = expected[i][j];
      const a = actual[i * columns + j];
      if (!(Math.abs(a - e) <= 1e-6 + Math.abs(e) * 2 ** -24)) expect(a, `${label} [${i}, ${j}]`).toBe(e);
    }
  }
}

/** Left-pads (or right-pads) every row with zeros to a common width. */
function padded(seqs: number[][], extra: number, side: 'pre' | 'post'): { tokens: Int32Array; maxlen: number } {
  const maxlen = Math.max(1, ...seqs.map((s) => s.length)) + extra;
  const tokens = new Int32Array(seqs.length * maxlen);
  seqs.forEach((s, i) => tokens.set(s, i * maxlen + (side === 'pre' ? maxlen - s.length : 0)));
  return { tokens, maxlen };
}

function expectCanonicalCsr(csr: CsrMatrix): void {
  expect(csr.indptr[0]).toBe(0);
  expect(csr.indptr[csr.shape[0]]).toBe(csr.indices.length);
  expect(csr.data.length).toBe(csr.indices.length);
  for (let i = 0; i < csr.shape[0]; i++) {
    for (let k = csr.indptr[i] + 1; k < csr.indptr[i + 1]; k++) expect(csr.indices[k]).toBeGreaterThan(csr.indices[k - 1]);
  }
}

function kerasJson(c: TokenizerCase): string {
  return JSON.stringify({
    class_name: 'Tokenizer',
    config: {
      num_words: c.config.num_words ?? null,
      document_count: c.document_count,
      index_docs: JSON.stringify(Object.fromEntries(c.index_docs)),
      word_index: JSON.stringify(Object.fromEntries(c.word_index)),
    },
  });
}

describe.skipIf(!hasGolden)("golden: tokenizer.json texts_to_matrix_* from Keras's sequences", () => {
  it('has cases with matrices', () => expect(withMatrices.length).toBeGreaterThan(0));

  it("gives Keras's matrices from Keras's sequences and document frequencies, dense and CSR", () => {
    for (const c of withMatrices) {
      const table = raggedSequencesTable({ tokens: c.texts_to_sequences });
      const tokenizer = { documentCount: c.document_count, indexDocs: new Map(c.index_docs), numWords: c.config.num_words };
      for (const mode of VECTORIZE_MODES) {
        const label = `${JSON.stringify(c.config)} ${mode}`;
        const expected = c[`texts_to_matrix_${mode}`] as number[][];
        const vectorizer = SequenceVectorizer.fromTokenizer(tokenizer, { mode });
        const dense = columnValues(vectorizer.transform(table), 'x').values as Float32Array;
        expectClose(dense, expected, label);
        const csr = vectorizer.transformCsr(table);
        expect(csr.shape).toEqual([expected.length, expected[0].length]);
        expectCanonicalCsr(csr);
        expect(csrToDense(csr)).toEqual(dense);
      }
    }
  });

  it('reads the same statistics from a Keras to_json() tokenizer in the table metadata', () => {
    for (const c of withMatrices) {
      const table = raggedSequencesTable({ tokens: c.texts_to_sequences }, { tokenizer: kerasJson(c) });
      for (const mode of VECTORIZE_MODES) {
        const vectors = vectorizeSequences(table, { mode });
        expectClose(columnValues(vectors, 'x').values, c[`texts_to_matrix_${mode}`] as number[][], `${JSON.stringify(c.config)} ${mode}`);
        expect(vectors.schema.metadata.get(META.tokenizer)).toBe(kerasJson(c));
        expect(readJsonMeta<{ mode: string }>(vectors, META.vectors)?.mode).toBe(mode);
      }
    }
  });

  it('without num_words, the width is the vocabulary size + 1, as in Keras', () => {
    const c = golden.find((g) => g.config.num_words === undefined) as TokenizerCase;
    const csr = vectorizeSequencesCsr(raggedSequencesTable({ tokens: c.texts_to_sequences }, { tokenizer: kerasJson(c) }));
    expect(csr.shape).toEqual([c.texts_to_sequences.length, c.word_index.length + 1]);
  });

  it('padding (pre or post) changes nothing, freq included', () => {
    for (const c of withMatrices) {
      const tokenizer = { documentCount: c.document_count, indexDocs: new Map(c.index_docs), numWords: c.config.num_words };
      for (const mode of VECTORIZE_MODES) {
        const vectorizer = SequenceVectorizer.fromTokenizer(tokenizer, { mode });
        const ragged = columnValues(vectorizer.transform(raggedSequencesTable({ tokens: c.texts_to_sequences })), 'x').values;
        for (const side of ['pre', 'post'] as const) {
          const table = paddedSequencesTable(padded(c.texts_to_sequences, 7, side));
          expect(columnValues(vectorizer.transform(table), 'x').values).toEqual(ragged);
          expect(csrToDense(vectorizer.transformCsr(table))).toEqual(ragged);
        }
      }
    }
  });

  it('fit counts the documents containing each id, like fit_on_sequences', () => {
    const seqs = withMatrices[0].texts_to_sequences;
    const vectorizer = new SequenceVectorizer({ mode: 'tfidf' }).fit(paddedSequencesTable(padded(seqs, 3, 'pre')));
    expect(vectorizer.documentCount).toBe(seqs.length);
    const maxId = Math.max(...seqs.flat());
    for (let id = 1; id <= maxId + 1; id++) {
      expect(vectorizer.documentFrequency(id), `id ${id}`).toBe(seqs.filter((s) => s.includes(id)).length);
    }
    expect(vectorizer.numWordsFor()).toBe(maxId + 1);
    vectorizer.fit(seqs);
    expect(vectorizer.documentCount).toBe(2 * seqs.length);
    expect(vectorizer.documentFrequency(seqs[0][0])).toBe(2 * seqs.filter((s) => s.includes(seqs[0][0])).length);
  });
});

describe.skipIf(!hasGolden)('cross-check with @seqlearn/text Tokenizer.textsToMatrix', () => {
  it('vectors from its sequences equal its textsToMatrix', () => {
    for (const c of withMatrices) {
      const tokenizer = new Tokenizer({
        numWords: c.config.num_words,
        oovToken: c.config.oov_token,
        charLevel: c.config.char_level,
        lower: c.config.lower,
        filters: c.config.filters,
        split: c.config.split,
      });
      tokenizer.fitOnTexts(c.fit_texts);
      const table = raggedSequencesTable({ tokens: tokenizer.textsToSequences(c.query_texts) });
      for (const mode of VECTORIZE_MODES) {
        const ours = columnValues(SequenceVectorizer.fromTokenizer(tokenizer, { mode }).transform(table), 'x').values as Float32Array;
        const theirs = tokenizer.textsToMatrix(c.query_texts, mode);
        expect(ours.length).toBe(theirs.values.length);
        expect(ours).toEqual(Float32Array.from(theirs.values));
      }
    }
  });
});

describe('SequenceVectorizer semantics', () => {
  const value = (table: ReturnType<typeof vectorizeSequences>): number[] => Array.from(columnValues(table, 'x').values as Float32Array);

  it("follows Keras: ids ≥ numWords are dropped but still count towards freq's length", () => {
    const seqs = [[1, 2, 2, 7], []];
    expect(value(vectorizeSequences(seqs, { numWords: 3, mode: 'binary' }))).toEqual([0, 1, 1, 0, 0, 0]);
    expect(value(vectorizeSequences(seqs, { numWords: 3, mode: 'count' }))).toEqual([0, 1, 2, 0, 0, 0]);
    expect(value(vectorizeSequences(seqs, { numWords: 3, mode: 'freq' }))).toEqual([0, 0.25, 0.5, 0, 0, 0].map(Math.fround));
  });

  it('computes tf-idf as (1 + ln tf) · ln(1 + docs / (1 + docFreq))', () => {
    const v = new SequenceVectorizer({ mode: 'tfidf', numWords: 4 }).fit([[1, 2], [2, 3], [2]]);
    const x = value(v.transform([[2, 2, 1]]));
    expect(x[0]).toBe(0);
    expect(x[1]).toBe(Math.fround(Math.log(1 + 3 / 2)));
    expect(x[2]).toBe(Math.fround((1 + Math.log(2)) * Math.log(1 + 3 / 4)));
    expect(x[3]).toBe(0);
  });

  it('carries the label column over and marks the table as vectors', () => {
    const table = vectorizeSequences(raggedSequencesTable({ tokens: [[1], [2, 3]], label: [1, 0] }), { numWords: 4 });
    expect(tableKind(table)).toBe('vectors');
    expect(Array.from(columnValues(table, 'label').values)).toEqual([1, 0]);
    expect(value(table)).toEqual([0, 1, 0, 0, 0, 0, 1, 1]);
  });

  it('handles an empty table', () => {
    const csr = vectorizeSequencesCsr(raggedSequencesTable({ tokens: [] }), { numWords: 5 });
    expect(csr.shape).toEqual([0, 5]);
    expect(Array.from(csr.indptr)).toEqual([0]);
  });
});

describe('bad input', () => {
  it('tfidf before fitting is a NotFittedError', () => {
    expect(() => new SequenceVectorizer({ mode: 'tfidf', numWords: 5 }).transform([[1, 2]])).toThrow(NotFittedError);
    expect(() => vectorizeSequencesCsr([[1, 2]], { mode: 'tfidf', numWords: 5 })).toThrow(/needs document frequencies/);
    expect(() => vectorizeSequences([[1, 2]])).toThrow(/vector width is unknown/);
  });

  it('NaN, fractional, negative and non-numeric ids are TokenIdErrors naming the place', () => {
    const bad: [unknown, RegExp][] = [
      [NaN, /sequence 1, position 2: expected a non-negative integer token id, got number NaN/],
      [1.5, /got number 1.5/],
      [-1, /got number -1/],
      ['3', /got "3"/],
      [2 ** 40, /got number 1099511627776/],
    ];
    for (const [v, message] of bad) {
      const seqs = [[1], [1, 2, v]] as number[][];
      expect(() => vectorizeSequences(seqs, { numWords: 5 })).toThrow(TokenIdError);
      expect(() => vectorizeSequencesCsr(seqs, { numWords: 5 })).toThrow(message);
      expect(() => new SequenceVectorizer().fit(seqs)).toThrow(TokenIdError);
    }
    expect(() => vectorizeSequences(raggedSequencesTable({ tokens: [[4, -2]] }), { numWords: 5 })).toThrow(/sequence 0, position 1/);
  });

  it('bad options and tables get typed errors', () => {
    expect(() => new SequenceVectorizer({ mode: 'tf' as VectorizeMode })).toThrow(EncodingArgumentError);
    for (const numWords of [0, -1, 2.5, NaN])
      expect(() => vectorizeSequences([[1]], { numWords })).toThrow(/numWords must be a positive integer/);
    expect(() => vectorizeSequences([[1]], { mode: 'tfidf', tokenizer: 'not json' })).toThrow(/tokenizer JSON is not valid JSON/);
    expect(() => vectorizeSequences([[1]], { tokenizer: '{"config": {"index_docs": 3}}' })).toThrow(
      /config.index_docs must be a JSON string/,
    );
    expect(() => vectorizeSequences([[1]], { tokenizer: '[]' })).toThrow(EncodingArgumentError);
    expect(() => SequenceVectorizer.fromTokenizer({ documentCount: -1, indexDocs: {} })).toThrow(
      /documentCount must be a non-negative integer/,
    );
    expect(() => SequenceVectorizer.fromTokenizer({ documentCount: 2, indexDocs: { x: 1 } })).toThrow(/indexDocs has key "x"/);
    const noTokens = vectorizeSequences([[1]], { numWords: 2 });
    expect(() => vectorizeSequences(noTokens, { numWords: 2 })).toThrow(SchemaError);
    expect(() => vectorizeSequences('1 2 3' as never, { numWords: 2 })).toThrow(SchemaError);
  });
});
