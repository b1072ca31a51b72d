import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatch, Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { initBackend } from '@seqlearn/backend';
import { writeShards } from '@seqlearn/dataset/shards';
import { ModelConfigError, embeddingFlatten, evaluate, train } from '../src/index.js';
import { tinyTokens } from './helpers.js';

await initBackend();

/** The table cut into record batches of `rows`, so training batches straddle them. */
function cut(table: Table, rows: number): Table {
  const batches: RecordBatch[] = [];
  for (let start = 0; start < table.numRows; start += rows)
    batches.push(...table.slice(start, Math.min(table.numRows, start + rows)).batches);
  return new Table(table.schema, batches);
}

describe('training on a sharded dataset', () => {
  it('streams the shards in order to the same weights and history as the table', async () => {
    const data = tinyTokens(300, 10, 50, 2, 7);
    const shards = await writeShards(join(mkdtempSync(join(tmpdir(), 'seqlearn-train-')), 'seq'), cut(data, 45), { rowsPerShard: 100 });
    const fromTable = embeddingFlatten({ maxWords: 50, embeddingDim: 4, maxlen: 10, seed: 3 });
    const fromShards = embeddingFlatten({ maxWords: 50, embeddingDim: 4, maxlen: 10, seed: 3 });
    const a = await train(fromTable, data, { epochs: 2, batchSize: 32, shuffle: false });
    const b = await train(fromShards, shards, { epochs: 2, batchSize: 32, shuffle: false });
    expect(b.params.steps).toBe(a.params.steps);
    expect(b.history).toEqual(a.history);
    const wa = fromTable.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = fromShards.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wb).toEqual(wa);
    expect(await evaluate(fromShards, shards)).toEqual(await evaluate(fromTable, data));

    // Shuffled epochs: a seeded shard order and shuffle buffer, the same for the same seed.
    const c = embeddingFlatten({ maxWords: 50, embeddingDim: 4, maxlen: 10, seed: 3 });
    const d = embeddingFlatten({ maxWords: 50, embeddingDim: 4, maxlen: 10, seed: 3 });
    const hc = await train(c, shards, { epochs: 2, batchSize: 32, seed: 5 });
    const hd = await train(d, shards, { epochs: 2, batchSize: 32, seed: 5 });
    expect(hd.history).toEqual(hc.history);
    expect(hc.history.loss).not.toEqual(a.history.loss);
    for (const m of [fromTable, fromShards, c, d]) m.dispose();
  });

  it('refuses to shuffle a plain one-pass stream', async () => {
    const data = tinyTokens(40, 10, 50, 2, 8);
    async function* stream() {
      yield* data.batches;
    }
    const model = embeddingFlatten({ maxWords: 50, embeddingDim: 4, maxlen: 10, seed: 3 });
    await expect(train(model, stream(), { epochs: 1, batchSize: 8 })).rejects.toThrow(ModelConfigError);
    const h = await train(model, stream(), { epochs: 1, batchSize: 8, shuffle: false });
    expect(h.history.loss).toHaveLength(1);
    model.dispose();
  });
});
