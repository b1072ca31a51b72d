import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { hasData, sharedDataPath, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import { Tokenizer, type TokenizerOptions } from '../src/index.js';
import { mergeTokenCounts, packTokenCounts, TokenCountsMerger } from '../src/token-counts.js';
import { packEncodingTable, unpackEncodingTable } from '../src/text-encoding.js';
import { TextInputError } from '../src/errors.js';
import { TokenizerPool, TokenizerWorkerError } from '../src/node/index.js';

/** The first `limit` IMDB reviews in tarball order, plus a quarter as many with a character beyond U+00FF (they travel as UTF-16). */
function imdbReviews(limit: number): string[] {
  const tar = gunzipSync(readFileSync(sharedDataPath('aclImdb_v1_labelled.tar.gz')));
  const texts: string[] = [];
  const wide: string[] = [];
  for (let at = 0; at + 512 <= tar.length;) {
    const name = tar.toString('latin1', at, at + 100).replace(/\0.*$/s, '');
    if (name === '') break;
    const size = parseInt(
      tar
        .toString('latin1', at + 124, at + 136)
        .replace(/\0.*$/s, '')
        .trim(),
      8,
    );
    if (/^aclImdb\/(train|test)\/(pos|neg)\/\d+_\d+\.txt$/.test(name)) {
      const text = tar.toString('utf8', at + 512, at + 512 + size);
      if (texts.length < limit) texts.push(text);
      else if (wide.length < limit / 4 && /[^\x00-\xff]/.test(text)) wide.push(text);
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return [...texts, ...wide];
}

function fitSingle(options: TokenizerOptions, texts: readonly (string | string[])[]): Tokenizer {
  const tokenizer = new Tokenizer(options);
  tokenizer.fitOnTexts(texts);
  return tokenizer;
}

describe.skipIf(!hasData)('TokenizerPool on real reviews: the same tokenizer and sequences as one thread', () => {
  if (!hasData) console.warn(SKIP_WITHOUT_SHARED);
  const texts = hasData ? imdbReviews(1200) : [];
  // Small chunks: many more chunks than workers, handed out as workers free up, merged in text order.
  const pool = new TokenizerPool({ threads: 2, maxChunkBytes: 300_000 });
  afterAll(() => pool.close());

  it('fitOnTexts and textsToRaggedSequences match Tokenizer exactly (counts, document counts, index order, ids)', async () => {
    expect(texts.some((t) => /[^\x00-\xff]/.test(t))).toBe(true);
    const options = { numWords: 5000, oovToken: '<OOV>' };
    const single = fitSingle(options, texts);
    const parallel = new Tokenizer(options);
    await pool.fitOnTexts(parallel, texts);
    expect(parallel.documentCount).toBe(texts.length);
    expect(parallel.toJSON()).toBe(single.toJSON());
    expect([...parallel.wordIndex]).toEqual([...single.wordIndex]);
    const ragged = await pool.textsToRaggedSequences(parallel, texts);
    const expected = single.textsToRaggedSequences(texts);
    expect(ragged.offsets).toEqual(expected.offsets);
    expect(ragged.values).toEqual(expected.values);
    // Texts the tokenizer never saw, after the numWords limit changed: the workers get the new table.
    parallel.numWords = 100;
    single.numWords = 100;
    const unseen = ['Zyxwv qwerty the movie, ☃ snowman!', 'an ENTIRELY new review'];
    expect(await pool.textsToSequences(parallel, unseen)).toEqual(single.textsToSequences(unseen));
  }, 180_000);

  it('keeps Keras order across chunks: ties by first appearance, counts summed, a second fit adds on', async () => {
    // Every chunk sees words the earlier ones did not, with equal counts.
    const crafted = ['b a', 'c b', 'd', 'a d', 'e f', 'f e', 'g', 'h g'];
    const single = fitSingle({}, crafted);
    single.fitOnTexts(texts.slice(0, 200));
    const small = new TokenizerPool({ threads: 2, maxChunkBytes: 3 });
    try {
      const parallel = new Tokenizer();
      await small.fitOnTexts(parallel, crafted);
      await pool.fitOnTexts(parallel, texts.slice(0, 200));
      expect(parallel.toJSON()).toBe(single.toJSON());
    } finally {
      await small.close();
    }
  }, 60_000);

  it('other options and inputs: no lower-casing, character level, pre-split token lists, a lone surrogate', async () => {
    const some = [...texts.slice(0, 300), 'broken \ud800 surrogate \udc00 text'];
    for (const options of [{ lower: false }, { charLevel: true }, { filters: '', split: '.' }] satisfies TokenizerOptions[]) {
      const single = fitSingle(options, some);
      const parallel = new Tokenizer(options);
      await pool.fitOnTexts(parallel, some);
      expect(parallel.toJSON()).toBe(single.toJSON());
      expect(await pool.textsToSequences(parallel, some)).toEqual(single.textsToSequences(some));
    }
    const lists = some.slice(0, 100).map((t) => t.split(' '));
    const single = fitSingle({}, lists);
    const parallel = new Tokenizer();
    await pool.fitOnTexts(parallel, lists);
    expect(parallel.toJSON()).toBe(single.toJSON());
  }, 60_000);

  it('packed counts merge by span (with their hash table, or without one) as one fit', () => {
    const tokenizer = new Tokenizer();
    const cuts = [0, 700, 701, 1500, texts.length];
    for (const withTable of [true, false]) {
      const merger = new TokenCountsMerger(true);
      merger.add(tokenizer.countTexts(texts.slice(0, cuts[1])));
      for (let i = 1; i + 1 < cuts.length; i++) {
        const counts = tokenizer.countTexts(texts.slice(cuts[i], cuts[i + 1]));
        // A plain TokenCounts (no table) takes the word-by-word path.
        merger.addPacked(packTokenCounts(withTable ? counts : { ...counts, words: [...counts.words] }));
      }
      const merged = new Tokenizer();
      merged.fitOnCounts(merger.result());
      expect(merged.toJSON()).toBe(fitSingle({}, texts).toJSON());
    }
  });

  it('an encoding table sent with its hash table converts as the tokenizer does', () => {
    const tokenizer = fitSingle({ numWords: 3000, oovToken: '<OOV>' }, texts.slice(0, 1000));
    const table = tokenizer.encodingTable();
    expect(table.hashTable).toBeDefined();
    const received = unpackEncodingTable(structuredClone(packEncodingTable(table)));
    const other = texts.slice(1000, 1400);
    const ragged = new Tokenizer().textsToRaggedSequencesWith(received, other);
    const expected = tokenizer.textsToRaggedSequences(other);
    expect(ragged.offsets).toEqual(expected.offsets);
    expect(ragged.values).toEqual(expected.values);
  });

  it('the calling thread and the worker share the work across repeated calls; a bad row is reported at its place', async () => {
    const some = texts.slice(0, 400);
    const single = fitSingle({ numWords: 2000 }, some);
    const expected = single.textsToRaggedSequences(some);
    // The calling thread's share moves with the measured rates from call to call; the results may not.
    for (let call = 0; call < 3; call++) {
      const parallel = new Tokenizer({ numWords: 2000 });
      await pool.fitOnTexts(parallel, some);
      expect(parallel.toJSON()).toBe(single.toJSON());
      const ragged = await pool.textsToRaggedSequences(parallel, some);
      expect(ragged.values).toEqual(expected.values);
      expect(ragged.offsets).toEqual(expected.offsets);
    }
    // A token that is not a string, early (the calling thread's share) and late (a worker's chunk).
    for (const row of [3, 390]) {
      const lists: unknown[][] = some.map((t) => t.split(' '));
      lists[row]![1] = 42;
      const error: unknown = await pool.fitOnTexts(new Tokenizer(), lists as string[][]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TextInputError);
      expect((error as TextInputError).row).toBe(row);
    }
  }, 60_000);

  it('whichever thread runs out of work first takes half of what the other has left; the result does not change', async () => {
    // Enough text (about 2 MB) for the calling thread's rows to be cut in parts of several chunks.
    const some = texts;
    const fitted = fitSingle({ numWords: 3000 }, some);
    const expected = fitted.textsToRaggedSequences(some);
    const balanced = new TokenizerPool({ threads: 2 });
    try {
      // The calling thread's rows read slowly (a getter that spins): the worker finishes its own
      // rows first and goes on with the second half of the calling thread's, as a part of its own.
      const slow = new Proxy(some, {
        get(target, key, receiver) {
          if (typeof key === 'string' && Number(key) < 300) {
            const until = performance.now() + 1;
            while (performance.now() < until);
          }
          return Reflect.get(target, key, receiver);
        },
      });
      const parts = await balanced.countTexts(new Tokenizer({ numWords: 3000 }), slow);
      expect(parts.length).toBeGreaterThanOrEqual(3);
      const viaParts = new Tokenizer({ numWords: 3000 });
      viaParts.fitOnCounts(parts);
      expect(viaParts.toJSON()).toBe(fitted.toJSON());
      const ragged = await balanced.textsToRaggedSequences(fitted, slow);
      expect(ragged.values).toEqual(expected.values);
      expect(ragged.offsets).toEqual(expected.offsets);

      // The worker's rows take far longer per character (one-letter words): the calling thread,
      // done first, takes chunks off the end of the worker's run, each a part of its own.
      // Enough of them (about 30 chunks for the worker) that a loaded machine cannot hide it.
      const heavy = [
        ...Array.from({ length: 100 }, () => 'x'.repeat(20_000)),
        ...Array.from({ length: 100 }, () => 'a b c d '.repeat(2_500)),
      ];
      const heavyParts = await balanced.countTexts(new Tokenizer(), heavy);
      expect(heavyParts.length).toBeGreaterThanOrEqual(3);
      const merged = new Tokenizer();
      merged.fitOnCounts(heavyParts);
      expect(merged.toJSON()).toBe(fitSingle({}, heavy).toJSON());
    } finally {
      await balanced.close();
    }
  }, 60_000);

  it('countTexts of chunks, merged in order, is one fit (the same merge the workers use)', () => {
    const tokenizer = new Tokenizer();
    const cuts = [0, 17, 900, 901, 1500, texts.length];
    const parts = cuts.slice(1).map((end, i) => tokenizer.countTexts(texts.slice(cuts[i], end)));
    tokenizer.fitOnCounts([mergeTokenCounts(parts)]);
    expect(tokenizer.toJSON()).toBe(fitSingle({}, texts).toJSON());
  });
});

describe('TokenizerPool failures surface as errors', () => {
  it('a worker that runs out of memory rejects the call with TokenizerWorkerError', async () => {
    const texts = Array.from({ length: 4000 }, (_, i) => `review ${i} ${'word'.repeat(i % 50)} ${String(i * 7919).repeat(40)}`);
    const starved = new TokenizerPool({ threads: 2, resourceLimits: { maxOldGenerationSizeMb: 2, maxYoungGenerationSizeMb: 1 } });
    try {
      const error: unknown = await starved.fitOnTexts(new Tokenizer(), texts).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenizerWorkerError);
      expect((error as TokenizerWorkerError).code).toBe('ERR_TOKENIZER_WORKER');
    } finally {
      await starved.close();
    }
  }, 60_000);

  it('closing the pool while it works rejects the pending call instead of hanging', async () => {
    const texts = Array.from({ length: 20000 }, (_, i) => `text number ${i} with some words ${i % 97}`);
    const pool = new TokenizerPool({ threads: 1 });
    const pending = pool.fitOnTexts(new Tokenizer(), texts);
    await new Promise((r) => setTimeout(r, 50));
    await pool.close();
    await expect(pending).rejects.toBeInstanceOf(TokenizerWorkerError);
    // The pool starts new workers on its next use.
    const tokenizer = new Tokenizer();
    await pool.fitOnTexts(tokenizer, texts.slice(0, 10));
    expect(tokenizer.toJSON()).toBe(fitSingle({}, texts.slice(0, 10)).toJSON());
    await pool.close();
  }, 60_000);
});
