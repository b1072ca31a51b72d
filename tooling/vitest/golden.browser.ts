import { inject } from 'vitest';

// The browser's side of ./golden (see golden.ts): the config (tooling/browser-golden) provides the
// golden folder and its file names; each file is fetched once from vite's server before the
// tests are collected, so loadGolden stays synchronous as under Node.
declare module 'vitest' {
  export interface ProvidedContext {
    goldenDir: string | null;
    goldenFiles: string[];
  }
}

const dir = inject('goldenDir');
const files = new Map<string, unknown>();
if (dir !== null) {
  await Promise.all(
    inject('goldenFiles').map(async (name) => {
      const response = await fetch(`/@fs${dir}/${name}`);
      if (!response.ok) throw new Error(`golden file ${dir}/${name}: HTTP ${response.status}`);
      files.set(name, await response.json());
    }),
  );
}

export const hasGolden: boolean = dir !== null;

export const SKIP_WITHOUT_GOLDEN = 'skipped: no golden files (run tooling/golden/generate.py --out ../shared/golden)';

export function loadGolden<T>(name: string): T {
  if (!files.has(name))
    throw new Error(`golden file ${name} was not provided to the browser; list it in tooling/browser-golden/vitest.config.ts`);
  return files.get(name) as T;
}
