import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedDataPath, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import { tempDir } from './archive-fixtures.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe.skipIf(!hasShared)('README', () => {
  if (!hasShared) console.warn(SKIP_WITHOUT_SHARED);

  it('opens with an example that runs as written (cache pre-filled, so no network)', async () => {
    const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)![1];
    const printed = /prints\n\n```\n([\s\S]*?)```/.exec(readme)![1];
    const { dir, cleanup } = await tempDir('readme');
    try {
      // fetchDataset finds these in $XDG_CACHE_HOME/seqlearn and makes no request.
      await mkdir(join(dir, 'seqlearn'));
      await symlink(sharedDataPath('aclImdb_v1_labelled.tar.gz'), join(dir, 'seqlearn', 'aclImdb_v1.tar.gz'));
      await symlink(sharedDataPath('reuters21578.tar.gz'), join(dir, 'seqlearn', 'reuters21578.tar.gz'));
      // Inside the package, so that '@seqlearn/corpora' resolves to this package's source.
      const file = join(packageDir, 'test', `.readme-example-${process.pid}.mts`);
      await writeFile(file, example);
      try {
        const r = spawnSync(process.execPath, ['--conditions=@seqlearn/source', '--import', 'tsx', file], {
          cwd: packageDir,
          encoding: 'utf8',
          timeout: 110_000,
          env: { ...process.env, XDG_CACHE_HOME: dir },
        });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toBe(printed);
      } finally {
        await rm(file, { force: true });
      }
    } finally {
      await cleanup();
    }
  });
});

describe('README, your own data', () => {
  it('runs the example as written and prints what it says', async () => {
    const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Your own data'));
    const example = /```ts\n([\s\S]*?)```/.exec(section)![1];
    const printed = /prints\n\n```\n([\s\S]*?)```/.exec(section)![1];
    const file = join(packageDir, 'test', `.readme-own-data-${process.pid}.mts`);
    await writeFile(file, example);
    try {
      const r = spawnSync(process.execPath, ['--conditions=@seqlearn/source', '--import', 'tsx', file], {
        cwd: packageDir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(printed);
    } finally {
      await rm(file, { force: true });
    }
  });
});
