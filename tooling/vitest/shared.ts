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

export const hasShared: boolean = existsSync(join(sharedDir, 'golden')) && existsSync(join(sharedDir, 'data'));

export const sharedDataPath = (...parts: string[]): string => join(sharedDir, 'data', ...parts);
export const goldenPath = (...parts: string[]): string => join(sharedDir, 'golden', ...parts);

/** The message a skipped suite prints, so a user sees why it did not run. */
export const SKIP_WITHOUT_SHARED = `skipped: ${sharedDir} is absent (real data and golden files live there; CI has them)`;

if (!hasShared) console.warn(SKIP_WITHOUT_SHARED);
