import { describe, expect, it } from 'vitest';
import { SeqlearnError } from '@seqlearn/dataset';
import {
  InvalidOptionError,
  NotFittedError,
  padSequences,
  TextInputError,
  TokenIdError,
  Tokenizer,
  TokenizerJsonError,
  textToWordSequence,
} from '../src/index.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('typed errors', () => {
  it('a text that is not a string names its row', () => {
    const tokenizer = new Tokenizer();
    const e = thrown(() => tokenizer.fitOnTexts(['fine', 42 as unknown as string]));
    expect(e).toBeInstanceOf(TextInputError);
    expect(e).toBeInstanceOf(SeqlearnError);
    expect((e as TextInputError).code).toBe('ERR_TEXT_INPUT');
    expect((e as TextInputError).row).toBe(1);
    expect(e.message).toMatch(/text 1 is number 42/);
    expect(thrown(() => tokenizer.textsToSequences([null as unknown as string]))).toBeInstanceOf(TextInputError);
    expect(thrown(() => textToWordSequence(undefined as unknown as string))).toBeInstanceOf(TextInputError);
    expect(thrown(() => tokenizer.fitOnTexts('one string' as unknown as string[])).message).toMatch(/not a single string/);
    expect(thrown(() => tokenizer.fitOnTexts([['ok', 7 as unknown as string]])).message).toMatch(/text 0, token 1/);
  });

  it('a failed fit leaves the tokenizer as it was', () => {
    const tokenizer = new Tokenizer();
    tokenizer.fitOnTexts(['a b']);
    expect(() => tokenizer.fitOnTexts(['c d', {} as unknown as string])).toThrow(TextInputError);
    expect([...tokenizer.wordIndex.keys()]).toEqual(['a', 'b']);
    expect(tokenizer.documentCount).toBe(1);
  });

  it('async fit rejects non-strings too', async () => {
    async function* bad(): AsyncGenerator<string> {
      yield 'ok';
      yield 5 as unknown as string;
    }
    await expect(new Tokenizer().fitOnTextsAsync(bad())).rejects.toBeInstanceOf(TextInputError);
  });

  it('negative or fractional numWords', () => {
    for (const numWords of [-1, 2.5, Number.NaN]) {
      const e = thrown(() => new Tokenizer({ numWords }));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe('numWords');
    }
    const tokenizer = new Tokenizer();
    expect(() => (tokenizer.numWords = -3)).toThrow(InvalidOptionError);
  });

  it('maxlen < 0 and other padSequences options', () => {
    const e = thrown(() => padSequences([[1, 2]], { maxlen: -1 }));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e.message).toMatch(/maxlen must be null or an integer >= 0, got number -1/);
    expect(() => padSequences([[1]], { maxlen: 1.5 })).toThrow(InvalidOptionError);
    expect(() => padSequences([[1]], { padding: 'middle' as 'pre' })).toThrow(InvalidOptionError);
    expect(() => padSequences([[1]], { dtype: 'int64' as 'int32' })).toThrow(InvalidOptionError);
    expect(() => padSequences([[1], 3 as unknown as number[]])).toThrow(/sequence 1/);
  });

  it('NaN or non-integer token ids where integers are required', () => {
    const tokenizer = new Tokenizer();
    tokenizer.fitOnTexts(['a b c']);
    for (const bad of [Number.NaN, 1.5, -1, '2' as unknown as number]) {
      const e = thrown(() =>
        tokenizer.sequencesToTexts([
          [1, 2],
          [3, bad],
        ]),
      );
      expect(e).toBeInstanceOf(TokenIdError);
      expect((e as TokenIdError).row).toBe(1);
      expect((e as TokenIdError).column).toBe(1);
    }
    expect(() => tokenizer.sequencesToMatrix([[Number.NaN]])).toThrow(TokenIdError);
    expect(() => tokenizer.fitOnSequences([[0.5]])).toThrow(TokenIdError);
    // padSequences: NaN is never a token; int32 cannot hold Infinity or 2^31.
    expect(() => padSequences([[1, Number.NaN]])).toThrow(TokenIdError);
    expect(() => padSequences([[1, Number.NaN]], { dtype: 'float32' })).toThrow(TokenIdError);
    expect(() => padSequences([[Infinity]])).toThrow(TokenIdError);
    expect(() => padSequences([[2 ** 31]])).toThrow(/does not fit in int32/);
  });

  it('tfidf before fitting', () => {
    const e = thrown(() => new Tokenizer({ numWords: 10 }).sequencesToMatrix([[1, 2]], 'tfidf'));
    expect(e).toBeInstanceOf(NotFittedError);
    expect(e.message).toMatch(/tfidf/);
    expect(() => new Tokenizer().sequencesToMatrix([[1]], 'binary')).toThrow(NotFittedError);
    expect(() => new Tokenizer({ numWords: 5 }).sequencesToMatrix([[1]], 'bogus' as 'binary')).toThrow(InvalidOptionError);
  });

  it('tokenizer JSON of the wrong shape names the field', () => {
    const good = new Tokenizer();
    good.fitOnTexts(['a b b']);
    const parsed = JSON.parse(good.toJSON()) as { config: Record<string, unknown> };
    const cases: Array<[unknown, RegExp]> = [
      ['not json', /not valid JSON/],
      [[1, 2], /expected an object/],
      [{ class_name: 'Sequential', config: parsed.config }, /class_name: expected "Tokenizer"/],
      [{ class_name: 'Tokenizer' }, /config: expected an object/],
      [{ config: { ...parsed.config, word_counts: { a: 1 } } }, /config.word_counts: expected a JSON string/],
      [{ config: { ...parsed.config, word_index: '{"a": "one"}' } }, /config.word_index: value of "a"/],
      [{ config: { ...parsed.config, index_word: '{"x": "a"}' } }, /config.index_word: key "x"/],
      [{ config: { ...parsed.config, num_words: -2 } }, /config.num_words/],
      [{ config: { ...parsed.config, bogus: 1 } }, /config.bogus: unknown key/],
      [{ config: { ...parsed.config, word_docs: '[1]' } }, /config.word_docs: expected a JSON object/],
    ];
    for (const [json, message] of cases) {
      const e = thrown(() => Tokenizer.fromJSON(typeof json === 'string' ? json : (json as object)));
      expect(e, String(message)).toBeInstanceOf(TokenizerJsonError);
      expect(e.message).toMatch(message);
    }
  });
});
