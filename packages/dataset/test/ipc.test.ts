import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  IpcError,
  SchemaError,
  columnValues,
  createRng,
  raggedSequencesTable,
  readTable,
  readTableSync,
  writeTable,
  vectorsTable,
} from '@seqlearn/dataset';

const dir = mkdtempSync(join(tmpdir(), 'seqlearn-ipc-'));

function randomSequences(rows: number, seed: number) {
  const rng = createRng(seed);
  const tokens: Int32Array[] = [];
  for (let r = 0; r < rows; r++) tokens.push(Int32Array.from({ length: 1 + rng.nextInt(400) }, () => rng.nextInt(10_000)));
  return tokens;
}

describe('Arrow IPC files', () => {
  it('round-trips a sequences table of over a million tokens', async () => {
    const tokens = randomSequences(5_000, 1);
    const labels = Int32Array.from(tokens, (_, i) => i % 2);
    const table = raggedSequencesTable({ tokens, label: labels }, { tokenizer: '{"class_name":"Tokenizer"}' });
    const before = columnValues(table, 'tokens');
    expect(before.values.length).toBeGreaterThan(1_000_000);

    const path = join(dir, 'big.arrow');
    await writeTable(path, table);
    const back = await readTable(path, { kind: 'sequences' });
    const after = columnValues(back, 'tokens');
    expect(back.numRows).toBe(5_000);
    expect(after.values.length).toBe(before.values.length);
    expect(
      Buffer.from(after.values.buffer, after.values.byteOffset, after.values.byteLength).equals(
        Buffer.from(before.values.buffer, before.values.byteOffset, before.values.byteLength),
      ),
    ).toBe(true);
    expect(Array.from(after.offsets!)).toEqual(Array.from(before.offsets!));
    expect(Array.from(columnValues(back, 'label').values)).toEqual(Array.from(labels));
    expect(back.schema.metadata.get('seqlearn.tokenizer')).toBe('{"class_name":"Tokenizer"}');
  });

  it('writes atomically: no temporary file is left beside the result', async () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    await writeTable(join(sub, 'v.arrow'), vectorsTable({ x: new Float32Array(4), dim: 2 }, { description: 'd' }));
    expect(readdirSync(sub)).toEqual(['v.arrow']);
  });

  it('leaves the previous file whole and no temporary file when a write fails', async () => {
    const path = join(dir, 'missing-dir', 'x.arrow');
    await expect(writeTable(path, vectorsTable({ x: new Float32Array(2), dim: 2 }, { description: 'd' }))).rejects.toBeInstanceOf(IpcError);
  });

  it('gives an IpcError, never a partial table, for a truncated file', async () => {
    const path = join(dir, 'whole.arrow');
    await writeTable(path, raggedSequencesTable({ tokens: randomSequences(200, 2) }));
    const bytes = readFileSync(path);
    for (const keep of [bytes.length - 1, Math.floor(bytes.length / 2), 100, 3]) {
      const cut = join(dir, `cut-${keep}.arrow`);
      writeFileSync(cut, bytes.subarray(0, keep));
      await expect(readTable(cut)).rejects.toThrow(IpcError);
    }
  });

  it('gives an IpcError for damaged offsets inside the file', async () => {
    const path = join(dir, 'damaged.arrow');
    const tokens = [Int32Array.from([1, 2, 3]), Int32Array.from([4, 5]), Int32Array.from([6])];
    await writeTable(path, raggedSequencesTable({ tokens }));
    const bytes = Buffer.from(readFileSync(path));
    // The offsets buffer holds 0, 3, 5, 6 as little-endian Int32: find it and break the order.
    const needle = Buffer.from(Int32Array.from([0, 3, 5, 6]).buffer);
    const at = bytes.indexOf(needle);
    expect(at).toBeGreaterThan(0);
    bytes.writeInt32LE(1_000_000, at + 8);
    writeFileSync(path, bytes);
    expect(() => readTableSync(path)).toThrow(/corrupted Arrow data: column "tokens".*offset 1000000/);
  });

  it('rejects a file that is not Arrow at all, and a missing file, naming the path', async () => {
    const path = join(dir, 'notes.arrow');
    writeFileSync(path, 'just some text that is long enough');
    await expect(readTable(path)).rejects.toThrow(new RegExp(`${path}: not an Arrow IPC file`));
    await expect(readTable(join(dir, 'nope.arrow'))).rejects.toThrow(/could not read the file/);
  });

  it('gives a SchemaError naming the file when the kind does not match', async () => {
    const path = join(dir, 'vectors.arrow');
    await writeTable(path, vectorsTable({ x: new Float32Array(2), dim: 2 }, { description: 'd' }));
    await expect(readTable(path, { kind: 'corpus' })).rejects.toThrow(SchemaError);
    await expect(readTable(path, { kind: 'corpus' })).rejects.toThrow(new RegExp(`${path}: expected a corpus table`));
  });
});
