import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnValues, corpusTable, META, readTable, validateSequences, writeTable } from '@seqlearn/dataset';
import { goldenPath, hasGolden } from '@seqlearn/vitest-preset/shared';
import { corpusTexts, corpusToSequences, padSequences, Tokenizer, tokenizerFromTable } from '../src/index.js';

describe.skipIf(!hasGolden)('Arrow: corpus table in, sequences table out', () => {
  const cases = hasGolden ? (JSON.parse(readFileSync(goldenPath('tokenizer.json'), 'utf8')) as Array<{ fit_texts: string[] }>) : [];
  const texts = cases[0]?.fit_texts ?? [];
  const label = Int32Array.from(texts, (_, i) => i % 2);
  const corpus = () => corpusTable({ text: texts, label }, { labels: ['neg', 'pos'], source: 'golden tokenizer.json' });

  it('reads the text column straight from the Arrow buffers, across batches', () => {
    const table = corpus();
    expect([...corpusTexts(table)]).toEqual(texts);
    const twoBatches = table.concat(table);
    expect(twoBatches.batches.length).toBe(2);
    expect([...corpusTexts(twoBatches)]).toEqual([...texts, ...texts]);
    expect([...corpusTexts(twoBatches.slice(3, 7))]).toEqual(texts.slice(3, 7));
  });

  it('ragged: List<Int32> rows equal textsToSequences, label and tokenizer carried', () => {
    const tokenizer = new Tokenizer({ numWords: 500, oovToken: '<OOV>' });
    const table = corpusToSequences(tokenizer, corpus(), { fit: true });
    validateSequences(table);
    expect(table.schema.metadata.get(META.kind)).toBe('sequences');
    expect(table.schema.metadata.get(META.labels)).toBe('["neg","pos"]');
    const expected = tokenizer.textsToSequences(texts);
    const { values, offsets } = columnValues(table, 'tokens');
    const rows = expected.map((_, i) => Array.from(values.subarray(offsets![i], offsets![i + 1])));
    expect(rows).toEqual(expected);
    expect(Array.from(table.getChild('label')!.toArray() as Int32Array)).toEqual(Array.from(label));
    const restored = tokenizerFromTable(table)!;
    expect(restored.textsToSequences(texts)).toEqual(expected);
    expect(restored.toJSON()).toBe(tokenizer.toJSON());
  });

  it('padded: FixedSizeList<Int32>[maxlen] equals padSequences, and survives an IPC file', async () => {
    const tokenizer = new Tokenizer({ numWords: 1000 });
    tokenizer.fitOnTexts(texts);
    const table = corpusToSequences(tokenizer, corpus(), { pad: { maxlen: 50, padding: 'post' } });
    const expected = padSequences(tokenizer.textsToSequences(texts), { maxlen: 50, padding: 'post' });
    const { values, width } = columnValues(table, 'tokens');
    expect(width).toBe(50);
    expect(Array.from(values)).toEqual(Array.from(expected.values));

    const dir = mkdtempSync(join(tmpdir(), 'seqlearn-text-'));
    try {
      const path = join(dir, 'imdb-sequences.arrow');
      await writeTable(path, table);
      const back = await readTable(path, { kind: 'sequences' });
      expect(Array.from(columnValues(back, 'tokens').values)).toEqual(Array.from(expected.values));
      expect(tokenizerFromTable(back)!.textsToSequences(texts.slice(0, 3))).toEqual(tokenizer.textsToSequences(texts.slice(0, 3)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
