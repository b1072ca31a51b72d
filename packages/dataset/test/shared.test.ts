import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AtomicFile,
  DatasetError,
  FormatError,
  InputError,
  NotFittedError,
  OptionError,
  SchemaError,
  SeqlearnError,
  TokenIdError,
  UnavailableError,
  checkTokenId,
  defaultCacheDir,
  describeValue,
  isSeqlearnError,
  writeFileAtomic,
  writeFileAtomicSync,
  writeFolderAtomic,
} from '@seqlearn/dataset';

describe('the error family', () => {
  it('gives every kind a stable code, a kind and its class name', () => {
    const cases: [SeqlearnError, string, string, string][] = [
      [new OptionError('bad', { option: 'k' }), 'OptionError', 'ERR_OPTION', 'option'],
      [new InputError('bad', { file: 'a.csv', row: 3, column: 'x' }), 'InputError', 'ERR_INPUT', 'input'],
      [new FormatError('bad'), 'FormatError', 'ERR_FORMAT', 'format'],
      [new NotFittedError('bad'), 'NotFittedError', 'ERR_NOT_FITTED', 'not-fitted'],
      [new UnavailableError('bad'), 'UnavailableError', 'ERR_UNAVAILABLE', 'unavailable'],
      [new SchemaError('bad', 'tokens'), 'SchemaError', 'ERR_SCHEMA', 'format'],
      [new DatasetError('bad'), 'DatasetError', 'ERR_DATASET', 'option'],
    ];
    for (const [error, name, code, kind] of cases) {
      expect(error).toBeInstanceOf(SeqlearnError);
      expect(isSeqlearnError(error)).toBe(true);
      expect([error.name, error.code, error.kind]).toEqual([name, code, kind]);
    }
    expect(new SchemaError('bad')).toBeInstanceOf(InputError);
    expect(new DatasetError('bad')).toBeInstanceOf(OptionError);
  });

  it('recognizes errors from another copy of the module by their brand', () => {
    const foreign = Object.assign(new Error('x'), { code: 'ERR_X', [Symbol.for('seqlearn.error')]: true });
    expect(isSeqlearnError(foreign)).toBe(true);
    expect(isSeqlearnError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isSeqlearnError(null)).toBe(false);
  });

  it('checks token ids, naming the place', () => {
    expect(checkTokenId(3, 0, 0)).toBe(3);
    try {
      checkTokenId(Number.NaN, 2, 5);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TokenIdError);
      expect(e).toMatchObject({ row: 2, position: 5, column: 5, code: 'ERR_TOKEN_ID' });
      expect((e as Error).message).toBe('sequence 2, position 5: expected a non-negative integer token id, got number NaN');
    }
  });
});

describe('describeValue', () => {
  it('describes each kind of value', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(-1)).toBe('number -1');
    expect(describeValue('abc')).toBe('"abc"');
    expect(describeValue([1, 2])).toBe('an array of length 2');
    expect(describeValue(new Map())).toBe('an object (Map)');
  });
});

describe('defaultCacheDir', () => {
  it('prefers SEQLEARN_CACHE_DIR, then an absolute XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDir({ SEQLEARN_CACHE_DIR: '/srv/cache', XDG_CACHE_HOME: '/var/cache' })).toBe('/srv/cache');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/seqlearn');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' })).toMatch(/\/\.cache\/seqlearn$/);
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/seqlearn$/);
  });
});

describe('writeFileAtomic', () => {
  it('writes whole files and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqlearn-atomic-'));
    await writeFileAtomic(join(dir, 'sub', 'a.txt'), 'one', { mkdir: true });
    writeFileAtomicSync(join(dir, 'sub', 'a.txt'), 'two');
    expect(readFileSync(join(dir, 'sub', 'a.txt'), 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.txt']);
    await expect(writeFileAtomic(join(dir, 'missing', 'b.txt'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('AtomicFile', () => {
  it('shows a file written in steps only once it is committed, and an aborted one never', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqlearn-atomic-file-'));
    const path = join(dir, 'shard.arrow');
    writeFileSync(path, 'old');
    const kept = new AtomicFile(path);
    writeFileSync(kept.temporary, 'new, first half');
    expect(readFileSync(path, 'utf8')).toBe('old');
    await kept.commit();
    expect(readFileSync(path, 'utf8')).toBe('new, first half');
    const dropped = new AtomicFile(path);
    writeFileSync(dropped.temporary, 'half');
    await dropped.abort();
    expect(readFileSync(path, 'utf8')).toBe('new, first half');
    expect(readdirSync(dir)).toEqual(['shard.arrow']);
  });
});

describe('writeFolderAtomic', () => {
  it('replaces a folder whole, and leaves the old one in place when filling fails', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'seqlearn-atomic-folder-'));
    const target = join(parent, 'bundle');
    await writeFolderAtomic(target, async (folder) => writeFileSync(join(folder, 'a.txt'), 'first'));
    await writeFolderAtomic(target, async (folder) => writeFileSync(join(folder, 'b.txt'), 'second'));
    expect(readdirSync(target)).toEqual(['b.txt']);
    await expect(
      writeFolderAtomic(target, async (folder) => {
        writeFileSync(join(folder, 'c.txt'), 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readdirSync(target)).toEqual(['b.txt']);
    expect(readdirSync(parent)).toEqual(['bundle']);
  });
});
