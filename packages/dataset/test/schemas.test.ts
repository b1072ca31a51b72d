import { describe, expect, it } from 'vitest';
import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import {
  SchemaError,
  corpusTable,
  embeddingsTable,
  featureNames,
  paddedSequencesTable,
  raggedSequencesTable,
  tableKind,
  timeseriesTable,
  validateTable,
  vectorsTable,
  withMetadata,
  META,
  readJsonMeta,
  DatasetError,
} from '@seqlearn/dataset';

describe('schema builders', () => {
  it('builds a corpus table that validates and keeps its labels', () => {
    const table = corpusTable(
      { text: ['good film', 'bad film', 'ok'], label: [1, 0, 1], id: ['a', 'b', 'c'], split: ['train', 'test', 'train'] },
      { labels: ['neg', 'pos'], source: 'unit test' },
    );
    expect(tableKind(table)).toBe('corpus');
    expect(table.numRows).toBe(3);
    expect(table.getChild('split')!.get(1)).toBe('test');
    expect(readJsonMeta<string[]>(table, META.labels)).toEqual(['neg', 'pos']);
    expect(String(table.schema.fields.find((f) => f.name === 'split')!.type)).toBe('Dictionary<Int8, Utf8>');
  });

  it('rejects a label outside the label list, naming the row', () => {
    expect(() => corpusTable({ text: ['a', 'b'], label: [0, 2] }, { labels: ['neg', 'pos'], source: 't' })).toThrow(
      /row 1: 2 is not an index/,
    );
  });

  it('accepts an unlabeled corpus (empty label list, every label -1) and nothing else with an empty list', () => {
    const unlabeled = corpusTable({ text: ['a', 'b'], label: [-1, -1] }, { labels: [], source: 't' });
    expect([...unlabeled.getChild('label')!.toArray()]).toEqual([-1, -1]);
    expect(() => corpusTable({ text: ['a', 'b'], label: [-1, 0] }, { labels: [], source: 't' })).toThrow(/row 1: 0 in an unlabeled corpus/);
    expect(() => corpusTable({ text: ['a'], label: [-1] }, { labels: ['neg', 'pos'], source: 't' })).toThrow(/row 0: -1 is not an index/);
  });

  it('rejects columns of unequal length', () => {
    expect(() => corpusTable({ text: ['a', 'b'], label: [0] }, { labels: ['x'], source: 't' })).toThrow(DatasetError);
  });

  it('builds ragged and padded sequences with Int32 tokens', () => {
    const ragged = raggedSequencesTable({ tokens: [[1, 2, 3], [], [4]], label: [0, 1, 0] }, { tokenizer: '{"x":1}' });
    expect(String(ragged.schema.fields[0].type)).toBe('List<Int32>');
    expect(Array.from(ragged.getChild('tokens')!.get(0)!)).toEqual([1, 2, 3]);
    expect(ragged.getChild('tokens')!.get(1)!.length).toBe(0);
    expect(ragged.schema.metadata.get(META.tokenizer)).toBe('{"x":1}');
    const padded = paddedSequencesTable({ tokens: Int32Array.from([0, 1, 2, 3, 4, 5]), maxlen: 3 });
    expect(String(padded.schema.fields[0].type)).toBe('FixedSizeList[3]<Int32>');
    expect(Array.from(padded.getChild('tokens')!.get(1)!)).toEqual([3, 4, 5]);
    validateTable(ragged, 'sequences');
    validateTable(padded, 'sequences');
  });

  it('rejects non-integer token ids, naming row and position', () => {
    expect(() =>
      raggedSequencesTable({
        tokens: [
          [1, 2],
          [3, 4.5],
        ],
      }),
    ).toThrow(/row 1, position 1/);
    expect(() => raggedSequencesTable({ tokens: [[Number.NaN]] })).toThrow(/NaN/);
  });

  it('builds vectors, embeddings and timeseries tables', () => {
    const vectors = vectorsTable({ x: new Float32Array(6), dim: 2, label: [0, 1, 0] }, { description: 'counts' });
    validateTable(vectors, 'vectors');
    const emb = embeddingsTable({ word: ['the', 'cat'], vector: Float32Array.from([1, 2, 3, 4]), dim: 2 }, { source: 'glove.txt' });
    validateTable(emb, 'embeddings');
    expect(Array.from(emb.getChild('vector')!.get(1)!)).toEqual([3, 4]);
    const ts = timeseriesTable({ time: [0, 3_600_000], features: { T: [1.5, 2.5], p: [1000, 1001] } }, { units: { T: 'degC' } });
    validateTable(ts, 'timeseries');
    expect(featureNames(ts)).toEqual(['T', 'p']);
    expect(ts.getChild('time')!.get(1)).toBe(3_600_000);
    expect(String(ts.schema.fields[0].type)).toBe('Timestamp<MILLISECOND>');
  });
});

describe('validators', () => {
  it('names the missing column and what was expected', () => {
    const table = new Table({ text: vectorFromArray(['a'], new Utf8()) });
    const error = (() => {
      try {
        validateTable(withMetadata(table, { [META.labels]: '[]', [META.source]: 's' }), 'corpus');
      } catch (e) {
        return e as SchemaError;
      }
    })();
    expect(error).toBeInstanceOf(SchemaError);
    expect(error!.column).toBe('label');
    expect(error!.message).toMatch(/missing column "label" \(expected Int32\)/);
  });

  it('names a column of the wrong type', () => {
    const table = new Table({ tokens: vectorFromArray([1.5, 2.5]) });
    expect(() => validateTable(table, 'sequences')).toThrow(
      /column "tokens" is Float64, expected List<Int32> or FixedSizeList<Int32>\[maxlen\]/,
    );
  });

  it('refuses a table whose metadata declares another kind', () => {
    const vectors = vectorsTable({ x: new Float32Array(2), dim: 2 }, { description: 'd' });
    expect(() => validateTable(vectors, 'sequences')).toThrow(/expected a sequences table, but .* says "vectors"/);
  });

  it('checks that embeddings metadata agrees with the vector width', () => {
    const emb = embeddingsTable({ word: ['a'], vector: new Float32Array(3), dim: 3 }, { source: 's' });
    const lying = withMetadata(emb, { [META.embeddings]: JSON.stringify({ source: 's', dim: 4 }) });
    expect(() => validateTable(lying, 'embeddings')).toThrow(/3 values a row, metadata says dim 4/);
  });
});

describe('time column', () => {
  it('reads timestamps back as epoch milliseconds', async () => {
    const { timeValues, columnValues: values } = await import('@seqlearn/dataset');
    const ts = timeseriesTable({ time: [1262304000000, 1262307600000], features: { T: [1, 2] } });
    expect(Array.from(timeValues(ts))).toEqual([1262304000000, 1262307600000]);
    expect(() => values(ts, 'time')).toThrow(/use timeValues/);
  });
});
