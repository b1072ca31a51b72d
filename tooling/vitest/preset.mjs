// Plain JavaScript: vitest loads its config through Node, which cannot import .ts
// from a linked workspace package.
import { defineConfig } from 'vitest/config';

/** The export condition under which each workspace package points at its TypeScript source. */
export const SOURCE_CONDITION = '@seqlearn/source';

/**
 * The shared vitest configuration. Tests import sibling packages through their source
 * (no build needed), and each package writes a JSON report that `.ci/run` adds up.
 * @param {import('vitest/config').ViteUserConfig['test']} overrides
 */
export function seqlearnVitestConfig(overrides = {}) {
  const conditions = [SOURCE_CONDITION, 'module', 'node', 'import', 'default'];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: [SOURCE_CONDITION] } },
    test: {
      environment: 'node',
      testTimeout: 120_000,
      hookTimeout: 120_000,
      reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
      include: ['test/**/*.test.ts'],
      ...overrides,
    },
  });
}
