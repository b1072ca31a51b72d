// The workspace's Prettier config (.prettierrc, .prettierignore at the root) as a test: every
// file Prettier covers is formatted, so `pnpm test` and CI enforce it as they enforce ESLint.
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The files git tracks or would add (not ignored), which Prettier can parse and does not ignore. */
async function formattableFiles(): Promise<string[]> {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const files: string[] = [];
  for (const file of listed) {
    const path = join(repoRoot, file);
    const info = await prettier.getFileInfo(path, { ignorePath: join(repoRoot, '.prettierignore') }).catch(() => undefined);
    if (info !== undefined && !info.ignored && info.inferredParser !== null) files.push(path);
  }
  return files;
}

describe('prettier over the repository', () => {
  it('finds every file formatted', async () => {
    const files = await formattableFiles();
    const unformatted: string[] = [];
    for (const path of files) {
      const options = await prettier.resolveConfig(path);
      const source = await readFile(path, 'utf8').catch(() => undefined);
      // A file listed by git but deleted in the working tree has nothing to check.
      if (source === undefined) continue;
      if (!(await prettier.check(source, { ...options, filepath: path }))) unformatted.push(relative(repoRoot, path));
    }
    if (unformatted.length > 0)
      console.error(`${unformatted.length} files are not formatted (run \`npx -y pnpm@10.20.0 format\`):\n${unformatted.join('\n')}`);
    console.info(`prettier: ${files.length} files, ${unformatted.length} unformatted`);
    expect(files.length).toBeGreaterThan(100);
    expect(unformatted).toEqual([]);
  });

  it('would catch an unformatted file', async () => {
    const path = join(repoRoot, 'packages/text/src/format-probe.ts');
    const options = await prettier.resolveConfig(path);
    expect(await prettier.check('export const  x = {a:1}\n', { ...options, filepath: path })).toBe(false);
    expect(await prettier.check('export const x = { a: 1 };\n', { ...options, filepath: path })).toBe(true);
  });
});
