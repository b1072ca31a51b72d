import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { runReadmeExample } from '@seqlearn/vitest-preset/readme';

const run = promisify(execFile);

describe('README', () => {
  it('opens with an example that runs and prints what its comments say', async () => {
    const { readme, expected, printed } = await runReadmeExample(fileURLToPath(new URL('..', import.meta.url)), '@seqlearn/models');
    expect(readme.indexOf('```ts')).toBeLessThan(readme.indexOf('\n## '));
    expect(expected.length).toBe(3);
    expect(printed).toEqual(expected);
  });
});

describe('README: saved models are plain tfjs models', () => {
  it('the seqlearn side saves and reloads; the plain tfjs side, in its own process, loads the files', async () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Saved models are plain tfjs models'));
    const ts = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const js = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    expect(ts).toBeDefined();
    expect(js).toBeDefined();
    expect([...js!.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1])).toEqual(['node:fs/promises', '@tensorflow/tfjs']);
    const comments = (code: string) =>
      code
        .split('\n')
        .filter((l) => l.trimStart().startsWith('console.log('))
        .map((l) => l.slice(l.lastIndexOf('// ') + 3).trim());
    // The plain side runs in its own process, in an empty folder where the seqlearn side
    // (run here, its folder name pointed into that folder) wrote the model.
    const cwd = mkdtempSync(join(tmpdir(), 'seqlearn-readme-'));
    const tsFile = join(here, `.readme-portable-${process.pid}.generated.ts`);
    const jsFile = join(here, `.readme-portable-${process.pid}.generated.mjs`);
    writeFileSync(
      tsFile,
      ts!
        .replace("from '@seqlearn/models'", "from '../src/index.js'")
        .replaceAll("'file://sentiment-model'", `'file://${join(cwd, 'sentiment-model')}'`)
        .replaceAll("'sentiment-model'", `'${join(cwd, 'sentiment-model')}'`),
    );
    writeFileSync(jsFile, js!);
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
    try {
      try {
        await import(tsFile);
      } finally {
        spy.mockRestore();
      }
      expect(printed).toEqual(comments(ts!));
      const plain = await run(process.execPath, [jsFile], { cwd });
      const lines = plain.stdout
        .split('\n')
        .filter((l) => l !== '' && !/TensorFlow\.js in Node\.js|tfjs-node|^=+$|^Hi, looks like/.test(l));
      expect(lines).toEqual(comments(js!));
    } finally {
      rmSync(tsFile, { force: true });
      rmSync(jsFile, { force: true });
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
