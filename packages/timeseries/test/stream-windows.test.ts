import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatch, Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readWeatherCsv } from '@seqlearn/corpora';
import { columnValues, contiguous } from '@seqlearn/dataset';
import { writeShards } from '@seqlearn/dataset/shards';
import { hasData, sharedDataPath, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import {
  WindowConfigError,
  fitNormalization,
  normalize,
  streamWindows,
  timeseriesDatasetFromArray,
  type WindowBatch,
} from '../src/index.js';

/** The table cut into record batches of `rows` (a stream whose windows straddle batches). */
function cut(table: Table, rows: number): Table {
  const batches: RecordBatch[] = [];
  for (let start = 0; start < table.numRows; start += rows)
    batches.push(...table.slice(start, Math.min(table.numRows, start + rows)).batches);
  return new Table(table.schema, batches);
}

async function collect(stream: AsyncIterable<WindowBatch>): Promise<WindowBatch[]> {
  const out: WindowBatch[] = [];
  for await (const batch of stream) out.push(batch);
  return out;
}

let prsa: ReturnType<typeof readWeatherCsv> | undefined;

describe.skipIf(!hasData)('window generators over sharded series', () => {
  if (!hasData) console.warn(SKIP_WITHOUT_SHARED);

  it.each([
    { sequenceLength: 72, samplingRate: 1, sequenceStride: 3, offset: 96, batchSize: 128, batchRows: 1_000 },
    { sequenceLength: 20, samplingRate: 6, sequenceStride: 5, offset: 24, batchSize: 64, batchRows: 97 },
  ])('gives timeseriesDatasetFromArray’s batches on the PRSA series (%o)', async ({ offset, batchRows, ...windows }) => {
    const raw = await (prsa ??= readWeatherCsv(sharedDataPath('PRSA_data_2010.1.1-2014.12.31.csv'), {
      time: { columns: { year: 'year', month: 'month', day: 'day', hour: 'hour' } },
      categorical: ['cbwd'],
      ignore: ['No'],
      missing: 'interpolate',
    }));
    // Two years of hourly rows: enough shards and batch boundaries, small enough for a quick test.
    const table = contiguous(normalize(raw, fitNormalization(raw, { rows: 10_000 })).slice(0, 17_520));
    const dir = join(mkdtempSync(join(tmpdir(), 'seqlearn-windows-')), 'prsa');
    const shards = await writeShards(dir, cut(table, batchRows), { rowsPerShard: 5_000 });
    expect(shards.manifest.shards.length).toBe(Math.ceil(table.numRows / 5_000));
    const temp = columnValues(table, 'TEMP').values as Float32Array;
    const expected = [...timeseriesDatasetFromArray(table, temp.subarray(offset), windows)];
    const got = await collect(streamWindows(shards, { ...windows, target: { column: 'TEMP', offset } }));
    expect(got.length).toBe(expected.length);
    for (let b = 0; b < expected.length; b++) {
      expect(got[b]![0].shape).toEqual(expected[b]![0].shape);
      expect(
        Buffer.from(got[b]![0].values.buffer, got[b]![0].values.byteOffset, got[b]![0].values.byteLength).equals(
          Buffer.from(expected[b]![0].values.buffer, expected[b]![0].values.byteOffset, expected[b]![0].values.byteLength),
        ),
        `samples of batch ${b}`,
      ).toBe(true);
      expect(Array.from(got[b]![1].values)).toEqual(Array.from(expected[b]![1].values));
    }
  });
});

describe('streamWindows options', () => {
  it('names the option that cannot be honoured', async () => {
    const empty = new Table();
    await expect(collect(streamWindows(empty, { sequenceLength: 0, target: { column: 'x', offset: 0 } }))).rejects.toThrow(
      WindowConfigError,
    );
    await expect(collect(streamWindows(empty, { sequenceLength: 3, target: { column: 'x', offset: -1 } }))).rejects.toThrow(/offset/);
  });
});
