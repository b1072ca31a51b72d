import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { vi } from 'vitest';

/** The first ```ts block of a README: the example every package README opens with. */
export function firstTsExample(readme: string): string | undefined {
  return /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
}

export interface ReadmeExampleRun {
  readme: string;
  example: string;
  /** What each `console.log(…); // value` line's trailing comment says it prints. */
  expected: string[];
  /** What the example printed, one entry per `console.log` call. */
  printed: string[];
}

/**
 * Runs a package README's opening example in this process against the package's source
 * (the import of `packageName` is pointed at `src/index.js`), capturing what it logs.
 */
export async function runReadmeExample(packageDir: string, packageName: string): Promise<ReadmeExampleRun> {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const example = firstTsExample(readme) ?? '';
  const expected = example
    .split('\n')
    .filter((line) => line.trimStart().startsWith('console.log('))
    .map((line) => line.slice(line.lastIndexOf('// ') + 3).trim());
  const generated = join(packageDir, 'test', `.readme-example-${process.pid}.generated.ts`);
  writeFileSync(generated, example.replace(`from '${packageName}'`, "from '../src/index.js'"));
  const printed: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(format(...args)));
  try {
    await import(generated);
  } finally {
    spy.mockRestore();
    rmSync(generated, { force: true });
  }
  return { readme, example, expected, printed };
}
