import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createSplitter, createStemmer, ngramTokens, Tokenizer, textToWordSequence } from '../src/index.js';

// natural itself, by the same deep paths, as the independent reference.
const require = createRequire(import.meta.url);
const regexp = require('natural/lib/natural/tokenizers/regexp_tokenizer.js') as Record<
  string,
  new (o?: object) => { tokenize(s: string): string[] }
>;
const Treebank = require('natural/lib/natural/tokenizers/treebank_word_tokenizer.js') as new () => { tokenize(s: string): string[] };
const Aggressive = require('natural/lib/natural/tokenizers/aggressive_tokenizer.js') as new () => { tokenize(s: string): string[] };
const porter = require('natural/lib/natural/stemmers/porter_stemmer.js') as { stem(s: string): string };

const TEXTS = [
  "I didn't like it: the plot's twists were running thin, can't say more.",
  'Running, runs, ran -- the runner RUNS! Connection connected connecting.',
  "Isn't it O'Neil's best? 10/10 would watch again; e-mail me@x.org",
];

function counts(tokens: string[][]): Map<string, number> {
  const map = new Map<string, number>();
  for (const doc of tokens) for (const t of doc) map.set(t, (map.get(t) ?? 0) + 1);
  return map;
}

describe('natural splitters', () => {
  const references: Array<[Parameters<typeof createSplitter>[0], (s: string) => string[]]> = [
    ['WordTokenizer', (s) => new regexp.WordTokenizer!().tokenize(s)],
    ['WordPunctTokenizer', (s) => new regexp.WordPunctTokenizer!().tokenize(s)],
    ['TreebankWordTokenizer', (s) => new Treebank().tokenize(s)],
    ['AggressiveTokenizer', (s) => new Aggressive().tokenize(s)],
    [{ name: 'RegexpTokenizer', pattern: '\\s+' }, (s) => new regexp.RegexpTokenizer!({ pattern: /\s+/ }).tokenize(s)],
  ];
  for (const [spec, reference] of references) {
    it(`${JSON.stringify(spec)} counts what natural produces (after lower-casing)`, () => {
      const tokenizer = new Tokenizer({ splitter: spec });
      tokenizer.fitOnTexts(TEXTS);
      expect(tokenizer.wordCounts).toEqual(counts(TEXTS.map((t) => reference(t.toLowerCase()))));
      expect(tokenizer.textsToSequences(TEXTS).map((s) => s.length)).toEqual(TEXTS.map((t) => reference(t.toLowerCase()).length));
    });
  }

  it('RegexpTokenizer can match tokens instead of gaps', () => {
    const split = createSplitter({ name: 'RegexpTokenizer', pattern: '[a-z]+', gaps: false });
    expect(split('ab, cd!ef')).toEqual(['ab', 'cd', 'ef']);
    expect(split('123')).toEqual([]);
  });

  it('a function works as a splitter and must be passed again to fromJSON', () => {
    const tokenizer = new Tokenizer({ splitter: (s) => s.split('|') });
    tokenizer.fitOnTexts(['a|b|a']);
    expect([...tokenizer.wordIndex]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    const json = tokenizer.toJSON();
    expect(() => Tokenizer.fromJSON(json)).toThrow(/custom splitter/);
    expect(Tokenizer.fromJSON(json, { splitter: (s) => s.split('|') }).textsToSequences(['b|a|c'])).toEqual([[2, 1]]);
  });

  it('rejects unknown splitters', () => {
    expect(() => new Tokenizer({ splitter: 'NoSuchTokenizer' as 'WordTokenizer' })).toThrow(/unknown splitter/);
  });
});

describe('Porter stemming', () => {
  it("stems each Keras word with natural's Porter stemmer", () => {
    const tokenizer = new Tokenizer({ stemmer: 'porter' });
    tokenizer.fitOnTexts(TEXTS);
    expect(tokenizer.wordCounts).toEqual(counts(TEXTS.map((t) => textToWordSequence(t).map((w) => porter.stem(w)))));
    expect(tokenizer.wordIndex.has('run')).toBe(true);
    expect(tokenizer.wordIndex.has('running')).toBe(false);
    expect(createStemmer('porter')('connection')).toBe(porter.stem('connection'));
  });
});

describe('n-grams', () => {
  it('word n-grams: all unigrams, then all bigrams', () => {
    expect(ngramTokens(['a', 'b', 'c'], 1, 2, ' ')).toEqual(['a', 'b', 'c', 'a b', 'b c']);
    expect(ngramTokens(['a', 'b', 'c'], 2, 3, ' ')).toEqual(['a b', 'b c', 'a b c']);
    const tokenizer = new Tokenizer({ ngrams: 2 });
    tokenizer.fitOnTexts(['The cat, the cat sat.']);
    expect(tokenizer.wordCounts).toEqual(
      new Map([
        ['the', 2],
        ['cat', 2],
        ['sat', 1],
        ['the cat', 2],
        ['cat the', 1],
        ['cat sat', 1],
      ]),
    );
  });

  it('character n-grams with charLevel', () => {
    const tokenizer = new Tokenizer({ charLevel: true, ngrams: [2, 3] });
    tokenizer.fitOnTexts(['Abab']);
    expect(tokenizer.wordCounts).toEqual(
      new Map([
        ['ab', 2],
        ['ba', 1],
        ['aba', 1],
        ['bab', 1],
      ]),
    );
  });

  it('rejects bad ranges', () => {
    expect(() => new Tokenizer({ ngrams: 0 })).toThrow(/ngrams/);
    expect(() => new Tokenizer({ ngrams: [3, 2] })).toThrow(/ngrams/);
  });

  it('extras survive toJSON / fromJSON', () => {
    const tokenizer = new Tokenizer({ splitter: 'TreebankWordTokenizer', stemmer: 'porter', ngrams: [1, 2], numWords: 50 });
    tokenizer.fitOnTexts(TEXTS);
    const copy = Tokenizer.fromJSON(tokenizer.toJSON());
    expect(copy.splitter).toBe('TreebankWordTokenizer');
    expect(copy.textsToSequences(TEXTS)).toEqual(tokenizer.textsToSequences(TEXTS));
    expect((JSON.parse(tokenizer.toJSON()) as { seqlearn: unknown }).seqlearn).toEqual({
      splitter: 'TreebankWordTokenizer',
      stemmer: 'porter',
      ngrams: [1, 2],
    });
  });
});

describe('Keras state semantics', () => {
  it('edits to wordIndex in place are seen by textsToSequences', () => {
    const tokenizer = new Tokenizer();
    tokenizer.fitOnTexts(['a a b']);
    expect(tokenizer.textsToSequences(['a b'])).toEqual([[1, 2]]);
    tokenizer.wordIndex.set('b', 7);
    expect(tokenizer.textsToSequences(['a b'])).toEqual([[1, 7]]);
    tokenizer.wordIndex = new Map([['b', 3]]);
    expect(tokenizer.textsToSequences(['a b'])).toEqual([[3]]);
  });

  it('numWords can change after fitting and applies at conversion', () => {
    const tokenizer = new Tokenizer({ oovToken: '?' });
    tokenizer.fitOnTexts(['x x x y y z']);
    expect(tokenizer.textsToSequences(['x y z w'])).toEqual([[2, 3, 4, 1]]);
    tokenizer.numWords = 3;
    expect(tokenizer.textsToSequences(['x y z w'])).toEqual([[2, 1, 1, 1]]);
  });

  it('fitting in chunks gives the same state as fitting at once', () => {
    const whole = new Tokenizer({ oovToken: '<unk>' });
    whole.fitOnTexts(TEXTS);
    const chunked = new Tokenizer({ oovToken: '<unk>' });
    for (const text of TEXTS) chunked.fitOnTexts([text]);
    expect([...chunked.wordIndex]).toEqual([...whole.wordIndex]);
    expect([...chunked.wordCounts]).toEqual([...whole.wordCounts]);
    expect([...chunked.wordDocs]).toEqual([...whole.wordDocs]);
    expect([...chunked.indexDocs].sort((a, b) => a[0] - b[0])).toEqual([...whole.indexDocs].sort((a, b) => a[0] - b[0]));
    expect(chunked.documentCount).toBe(3);
  });

  it('pre-split token lists are lower-cased, not filtered (Keras)', () => {
    const tokenizer = new Tokenizer();
    tokenizer.fitOnTexts([['Hello,', 'World'], ['hello,']]);
    expect([...tokenizer.wordCounts]).toEqual([
      ['hello,', 2],
      ['world', 1],
    ]);
  });
});
