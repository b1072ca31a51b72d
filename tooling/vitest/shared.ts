import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The `../shared` folder beside the repository (real data sets and Keras golden
 * files). CI always has it; a user's clone does not, and tests that need it skip.
 * `SEQLEARN_SHARED_DIR` points elsewhere.
 */
export const sharedDir: string = process.env.SEQLEARN_SHARED_DIR ?? join(repoRoot, '..', 'shared');

/** The Keras golden files (`golden/`): tooling/golden/generate.py writes them where the real data are absent. */
export const hasGolden: boolean = existsSync(join(sharedDir, 'golden', 'tokenizer.json'));

/** The real data sets (`data/`). */
export const hasData: boolean = existsSync(join(sharedDir, 'data'));

/** Both the golden files and the real data sets. */
export const hasShared: boolean = hasGolden && hasData;

export const sharedDataPath = (...parts: string[]): string => join(sharedDir, 'data', ...parts);
export const goldenPath = (...parts: string[]): string => join(sharedDir, 'golden', ...parts);

/** The message a skipped suite prints, so a user sees why it did not run. */
export const SKIP_WITHOUT_SHARED = `skipped: ${sharedDir} is absent (real data and golden files live there; CI has them)`;

/** The message a skipped golden suite prints. */
export const SKIP_WITHOUT_GOLDEN = `skipped: no golden files in ${join(sharedDir, 'golden')} (run tooling/golden/generate.py --out there)`;

if (!hasGolden) console.warn(SKIP_WITHOUT_GOLDEN);
else if (!hasData)
  console.warn(`skipped: ${join(sharedDir, 'data')} is absent, so the tests on the real data sets skip (the golden suites run)`);
