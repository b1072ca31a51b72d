import { readFileSync } from 'node:fs';
import { goldenPath, hasGolden, SKIP_WITHOUT_GOLDEN } from './shared.js';

// The Keras golden files, read the same way under Node and in a browser (golden.browser.ts),
// so that one golden test file runs in both.
export { hasGolden, SKIP_WITHOUT_GOLDEN };

/** A golden file's parsed JSON. */
export function loadGolden<T>(name: string): T {
  return JSON.parse(readFileSync(goldenPath(name), 'utf8')) as T;
}
