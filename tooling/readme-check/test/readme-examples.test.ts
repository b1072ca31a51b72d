import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstTsExample as firstExample } from '@seqlearn/vitest-preset/readme';
import { hasShared } from '@seqlearn/vitest-preset/shared';

// Each package README opens with an example that must run as written. It is saved in
// the package's own folder (so the package resolves itself by name) and run with tsx from
// the repository root, where the READMEs' `../shared/data` paths point. Packages whose own
// tests run their README (and check what it prints) are left to those tests.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const packagesDir = join(root, 'packages');

const packages = readdirSync(packagesDir).filter((name) => existsSync(join(packagesDir, name, 'package.json')));

const testsItsOwnReadme = (name: string): boolean =>
  readdirSync(join(packagesDir, name, 'test')).some((file) => /^readme.*\.test\.ts$/.test(file));

describe('package README examples', () => {
  it('every package has a README that opens with a ts example', () => {
    for (const name of packages) {
      const path = join(packagesDir, name, 'README.md');
      expect(existsSync(path), `${path} is missing`).toBe(true);
      expect(firstExample(readFileSync(path, 'utf8')), `${path} has no \`\`\`ts example`).toBeDefined();
    }
  });

  for (const name of packages.filter((n) => !testsItsOwnReadme(n))) {
    const readme = join(packagesDir, name, 'README.md');
    const example = existsSync(readme) ? firstExample(readFileSync(readme, 'utf8')) : undefined;
    const needsShared = example?.includes('../shared') ?? false;
    it.skipIf(!example || (needsShared && !hasShared))(
      `@seqlearn/${name}: the README example runs`,
      () => {
        const file = join(packagesDir, name, `.readme-example-${process.pid}.ts`);
        writeFileSync(file, example!);
        try {
          const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@seqlearn/source', file], {
            cwd: root,
            encoding: 'utf8',
            timeout: 240_000,
            env: { ...process.env, SEQLEARN_BACKEND: process.env.SEQLEARN_BACKEND ?? 'cpu' },
          });
          expect(run.status, `exit ${run.status}\n${run.stdout}\n${run.stderr}`).toBe(0);
        } finally {
          rmSync(file, { force: true });
        }
      },
      300_000,
    );
  }
});
