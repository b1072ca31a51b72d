import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('README', () => {
  it('opens with an example that runs as written', () => {
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)![1];
    // Inside the package so that its imports resolve as a user's would.
    const file = join(packageDir, 'test', `readme-example-${process.pid}.ts`);
    writeFileSync(file, code);
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@seqlearn/source', file], {
        cwd: packageDir,
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const [shapes, mae] = run.stdout.trim().split('\n');
      expect(shapes).toBe('[ 16, 24, 2 ] [ 16 ]');
      expect(mae).toMatch(/^\d+\.\d{3} \d+\.\d{2} °C$/);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
