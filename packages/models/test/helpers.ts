import { paddedSequencesTable } from '@seqlearn/dataset';
import { createRng } from '@seqlearn/dataset';
import type { Table } from 'apache-arrow';
import type { IndexedBatches, WindowBatch } from '../src/index.js';

/** Random padded token sequences with labels in [0, numClasses). */
export function tinyTokens(rows: number, maxlen: number, vocab: number, numClasses: number, seed = 1): Table {
  const rng = createRng(seed);
  const tokens = new Int32Array(rows * maxlen);
  for (let i = 0; i < tokens.length; i++) tokens[i] = 1 + rng.nextInt(vocab - 1);
  const label = new Int32Array(rows);
  for (let i = 0; i < rows; i++) label[i] = rng.nextInt(numClasses);
  return paddedSequencesTable({ tokens, maxlen, label });
}

/** An indexed generator of random windows `[batch, timesteps, features]` with targets. */
export function tinyWindows(batches: number, batchSize: number, timesteps: number, features: number, seed = 2): IndexedBatches {
  const rng = createRng(seed);
  const items: WindowBatch[] = [];
  for (let b = 0; b < batches; b++) {
    const values = new Float32Array(batchSize * timesteps * features).map(() => rng.next() - 0.5);
    const targets = new Float32Array(batchSize).map(() => rng.next());
    items.push([
      { values, shape: [batchSize, timesteps, features] },
      { values: targets, shape: [batchSize] },
    ]);
  }
  return { length: batches, getItem: (i) => items[i] };
}
