import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenPath, hasGolden } from '@seqlearn/vitest-preset/shared';
import { Tokenizer } from '../src/index.js';

// The real Keras on Debian's python, when installed (tooling/bench/setup-peers.sh installs it).
const PYTHON = '/usr/bin/python3';
const hasKeras = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import keras_preprocessing'], { encoding: 'utf8' }).status === 0;
if (!hasKeras) console.warn('skipped: python-compat needs /usr/bin/python3 with python3-keras-preprocessing');

const SCRIPT = `
import json, sys
from keras_preprocessing.text import Tokenizer, tokenizer_from_json
job = json.load(sys.stdin)
out = {}
t = Tokenizer(**job["config"])
t.fit_on_texts(job["texts"])
out["to_json"] = t.to_json()
out["sequences"] = t.texts_to_sequences(job["queries"])
ours = tokenizer_from_json(job["ours"])
out["ours_sequences"] = ours.texts_to_sequences(job["queries"])
out["ours_texts"] = ours.sequences_to_texts(out["ours_sequences"])
out["ours_roundtrip"] = ours.to_json()
print(json.dumps(out))
`;

interface PythonOut {
  to_json: string;
  sequences: number[][];
  ours_sequences: number[][];
  ours_texts: string[];
  ours_roundtrip: string;
}

function runKeras(config: Record<string, unknown>, texts: string[], queries: string[], ours: string): PythonOut {
  const r = spawnSync(PYTHON, ['-c', SCRIPT], {
    input: JSON.stringify({ config, texts, queries, ours }),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as PythonOut;
}

const EDGE = ['10 2 10 2 1 x', 'Café CAFÉ café 😀 日本語 \u007f del', 'tab\tand\r\nCRLF "quotes" \\ back\\slash', '', '2 2 2 10 10 ten'];

describe.skipIf(!hasKeras || !hasGolden)('JSON compatibility with Python keras_preprocessing', () => {
  const golden = hasGolden
    ? (JSON.parse(readFileSync(goldenPath('tokenizer.json'), 'utf8')) as Array<{ fit_texts: string[]; query_texts: string[] }>)
    : [];
  const texts = [...(golden[0]?.fit_texts ?? []), ...EDGE];
  const queries = [...(golden[0]?.query_texts ?? []), ...EDGE];
  const configs: Array<[Record<string, unknown>, ConstructorParameters<typeof Tokenizer>[0]]> = [
    [{}, {}],
    [
      { num_words: 20, oov_token: '<OOV>' },
      { numWords: 20, oovToken: '<OOV>' },
    ],
    [
      { char_level: true, lower: false },
      { charLevel: true, lower: false },
    ],
  ];

  for (const [pyConfig, options] of configs) {
    it(`round-trips both ways with ${JSON.stringify(pyConfig)}`, () => {
      const ours = new Tokenizer(options);
      ours.fitOnTexts(texts);
      const json = ours.toJSON();
      const py = runKeras(pyConfig, texts, queries, json);

      // Python's JSON loads here and converts like Python.
      const loaded = Tokenizer.fromJSON(py.to_json);
      expect(loaded.textsToSequences(queries)).toEqual(py.sequences);
      expect(ours.textsToSequences(queries)).toEqual(py.sequences);

      // Ours loads in Python and converts the same; Python writes it back byte for byte.
      expect(py.ours_sequences).toEqual(py.sequences);
      expect(py.ours_texts).toEqual(ours.sequencesToTexts(py.sequences));
      expect(py.ours_roundtrip).toBe(json);

      // Same text as Python's own to_json, except the order of word_docs and index_docs, which
      // Python takes from iterating a set.
      const a = JSON.parse(json) as { config: Record<string, unknown> };
      const b = JSON.parse(py.to_json) as { config: Record<string, unknown> };
      for (const key of ['word_docs', 'index_docs']) {
        const entries = (c: Record<string, unknown>) => Object.entries(JSON.parse(c[key] as string) as Record<string, number>).sort();
        expect(entries(a.config)).toEqual(entries(b.config));
        delete a.config[key];
        delete b.config[key];
      }
      expect(a).toEqual(b);
      for (const key of ['word_counts', 'word_index', 'index_word'] as const) expect(a.config[key]).toBe(b.config[key]);
    });
  }

  it('matches Python over several fits, fit_on_sequences and tf-idf', () => {
    const parts = [texts.slice(0, 30), EDGE, texts.slice(30, 60)];
    const sequences = [[1, 2, 3], [2, 2], [], [40, 41]];
    const script = `
import json, sys
from keras_preprocessing.text import Tokenizer
job = json.load(sys.stdin)
t = Tokenizer(num_words=60, oov_token="2")
for part in job["parts"]:
    t.fit_on_texts(part)
t.fit_on_sequences(job["sequences"])
t.fit_on_texts(job["parts"][0][:3])
print(json.dumps({"word_index": list(t.word_index.items()), "word_counts": list(t.word_counts.items()),
  "index_docs": sorted(t.index_docs.items()), "document_count": t.document_count,
  "tfidf": t.texts_to_matrix(job["queries"], mode="tfidf").round(9).tolist()}))
`;
    const r = spawnSync(PYTHON, ['-c', script], {
      input: JSON.stringify({ parts, sequences, queries }),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(r.stderr);
    const py = JSON.parse(r.stdout) as {
      word_index: Array<[string, number]>;
      word_counts: Array<[string, number]>;
      index_docs: Array<[number, number]>;
      document_count: number;
      tfidf: number[][];
    };
    const ours = new Tokenizer({ numWords: 60, oovToken: '2' });
    for (const part of parts) ours.fitOnTexts(part);
    ours.fitOnSequences(sequences);
    ours.fitOnTexts(parts[0]!.slice(0, 3));
    expect([...ours.wordIndex]).toEqual(py.word_index);
    expect([...ours.wordCounts]).toEqual(py.word_counts);
    expect([...ours.indexDocs].sort((a, b) => a[0] - b[0])).toEqual(py.index_docs);
    expect(ours.documentCount).toBe(py.document_count);
    const tfidf = ours.textsToMatrix(queries, 'tfidf').toArray();
    for (let i = 0; i < tfidf.length; i++)
      for (let j = 0; j < tfidf[i]!.length; j++) expect(Math.abs(tfidf[i]![j]! - py.tfidf[i]![j]!)).toBeLessThan(1e-6);
  });
});
