import { readFileSync } from 'node:fs';
import { RecordBatch, Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { columnValues, contiguous, raggedSequencesTable, rebatch } from '@seqlearn/dataset';
import { goldenPath, hasGolden, SKIP_WITHOUT_GOLDEN } from '@seqlearn/vitest-preset/shared';
import { SequenceVectorizer, fitVectorizerOnBatches, vectorizeBatches } from '../src/index.js';

interface TokenizerCase {
  config: { num_words?: number };
  texts_to_sequences: number[][];
  texts_to_matrix_tfidf?: number[][];
}

describe.skipIf(!hasGolden)('vectorizers over record batch streams', () => {
  if (!hasGolden) console.warn(SKIP_WITHOUT_GOLDEN);
  const golden: TokenizerCase[] = hasGolden ? JSON.parse(readFileSync(goldenPath('tokenizer.json'), 'utf8')) : [];

  it('fits tf-idf document frequencies batch by batch and vectorizes a stream exactly as fit and transform on the whole table', async () => {
    let checked = 0;
    for (const c of golden) {
      if (c.texts_to_matrix_tfidf === undefined || c.config.num_words === undefined) continue;
      const fitSequences = raggedSequencesTable({ tokens: c.texts_to_sequences });
      const streamed = await fitVectorizerOnBatches(
        new SequenceVectorizer({ mode: 'tfidf', numWords: c.config.num_words }),
        rebatch(fitSequences, 1),
      );
      const whole = new SequenceVectorizer({ mode: 'tfidf', numWords: c.config.num_words }).fit(fitSequences);
      expect(streamed.documentCount).toBe(whole.documentCount);
      const batches: RecordBatch[] = [];
      for await (const batch of vectorizeBatches(streamed, rebatch(fitSequences, 2))) batches.push(batch);
      const got = columnValues(contiguous(new Table(batches)), 'x').values;
      expect(Array.from(got)).toEqual(Array.from(columnValues(whole.transform(fitSequences), 'x').values));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
