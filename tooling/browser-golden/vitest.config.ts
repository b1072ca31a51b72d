import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { SOURCE_CONDITION } from '@seqlearn/vitest-preset';

// The golden-file suites of dataset, text, encoding and timeseries, run on the packages'
// browser builds (package.json "#platform" resolves to platform.browser.ts under the
// "browser" condition) in one headless Chromium. Each file also runs under Node in its package.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sharedDir = process.env.SEQLEARN_SHARED_DIR ?? join(repoRoot, '..', 'shared');
const goldenDir = join(sharedDir, 'golden');
const hasGolden = existsSync(join(goldenDir, 'tokenizer.json'));
const chromium = process.env.SEQLEARN_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(chromium);
if (!hasChromium) console.warn(`skipped: ${chromium} is absent (apt-get install chromium; CI installs it via .ci/setup-system.sh)`);

const SUITES = [
  'packages/dataset/test/schemas.test.ts',
  'packages/dataset/test/splits-and-batches.test.ts',
  'packages/dataset/test/stratified-split.test.ts',
  'packages/text/test/golden.test.ts',
  'packages/encoding/test/hashing-trick-golden.test.ts',
  'packages/encoding/test/one-hot-listings.test.ts',
  'packages/encoding/test/vectorizer.test.ts',
  'packages/timeseries/test/golden.test.ts',
  'tooling/browser-golden/test/platform.test.ts',
];

export default defineConfig({
  root: repoRoot,
  resolve: { conditions: [SOURCE_CONDITION, 'browser', 'module', 'import', 'default'] },
  server: { fs: { allow: [repoRoot, sharedDir] } },
  test: {
    include: hasChromium ? SUITES : [],
    passWithNoTests: true,
    testTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: join(repoRoot, 'tooling', 'browser-golden', '.vitest-report.json') }]],
    provide: {
      goldenDir: hasGolden ? goldenDir : null,
      goldenFiles: hasGolden ? readdirSync(goldenDir).filter((f) => f.endsWith('.json') && !f.startsWith('glove')) : [],
    },
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: chromium,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
