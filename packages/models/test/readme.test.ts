import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { format } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const generated = new URL('./.readme-example.generated.ts', import.meta.url);

describe('README', () => {
  afterAll(() => rmSync(generated, { force: true }));

  it('opens with an example that runs and prints what its comments say', async () => {
    expect(readme.indexOf('```ts')).toBeLessThan(readme.indexOf('\n## '));
    const expected = example
      .split('\n')
      .filter((line) => line.trimStart().startsWith('console.log('))
      .map((line) => line.slice(line.lastIndexOf('// ') + 3).trim());
    expect(expected.length).toBe(3);
    writeFileSync(generated, example.replace("from '@seqlearn/models'", "from '../src/index.js'"));
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
    try {
      await import(generated.href);
    } finally {
      spy.mockRestore();
    }
    expect(printed).toEqual(expected);
  });
});
