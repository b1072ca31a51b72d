import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('README', () => {
  it('opens with an example that runs as written', () => {
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain("from '@seqlearn/backend'");
    const dir = mkdtempSync(join(tmpdir(), 'seqlearn-backend-readme-'));
    try {
      const file = join(dir, 'example.mts');
      writeFileSync(file, example!.replace("'@seqlearn/backend'", JSON.stringify(join(packageDir, 'src', 'index.ts'))));
      const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: packageDir, encoding: 'utf8', timeout: 90_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^backend: (cpu|tensorflow)/);
      expect(r.stdout.trim().split('\n').pop()).toBe('[ 32, 1 ]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
