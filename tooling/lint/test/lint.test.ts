// The workspace's ESLint config (eslint.config.js at the root) as a test: the tree has no
// lint errors, and the import boundaries of docs/DESIGN.md fire where they should.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const eslint = new ESLint({ cwd: repoRoot });

/** Lints `code` as if it were the file `path` (relative to the repository root); returns its messages. */
async function lintAs(path: string, code: string): Promise<ESLint.LintResult['messages']> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) });
  return result.messages;
}

const errorsOf = (messages: ESLint.LintResult['messages']) => messages.filter((m) => m.severity === 2);

describe('eslint over the repository', () => {
  it('finds zero errors', async () => {
    const results = await eslint.lintFiles(['.']);
    const errors = results.flatMap((r) =>
      r.messages
        .filter((m) => m.severity === 2)
        .map((m) => `${r.filePath.slice(repoRoot.length + 1)}:${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`),
    );
    const warnings = results.reduce((n, r) => n + r.warningCount, 0);
    if (errors.length > 0) console.error(`${errors.length} lint errors:\n${errors.join('\n')}`);
    console.info(`eslint: ${results.length} files, ${errors.length} errors, ${warnings} warnings`);
    expect(results.length).toBeGreaterThan(100);
    expect(errors).toEqual([]);
  });
});

describe('import boundaries (docs/DESIGN.md)', () => {
  it('a data package importing @tensorflow/tfjs is an error', async () => {
    const errors = errorsOf(
      await lintAs('packages/text/src/boundary-probe.ts', "import * as tf from '@tensorflow/tfjs';\nexport const ops = tf;\n"),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].ruleId).toBe('no-restricted-imports');
    expect(errors[0].message).toContain('@seqlearn/text is a data package and never pulls in TensorFlow.js');
  });

  it('a data package importing @tensorflow/tfjs dynamically is an error', async () => {
    const errors = errorsOf(
      await lintAs('packages/encoding/src/boundary-probe.ts', "export const load = () => import('@tensorflow/tfjs');\n"),
    );
    expect(errors.map((e) => e.ruleId)).toEqual(['seqlearn/no-restricted-dynamic-imports']);
  });

  it("a package's ./tf subpath file may import @tensorflow/tfjs", async () => {
    expect(
      errorsOf(await lintAs('packages/timeseries/src/tf.ts', "import * as tf from '@tensorflow/tfjs';\nexport const ops = tf;\n")),
    ).toEqual([]);
  });

  it('a models file importing @tensorflow/tfjs and @seqlearn/backend is allowed', async () => {
    const code =
      "import * as tf from '@tensorflow/tfjs';\nimport { initBackend } from '@seqlearn/backend';\nexport const both = [tf, initBackend];\n";
    expect(errorsOf(await lintAs('packages/models/src/boundary-probe.ts', code))).toEqual([]);
  });

  it('a data package importing @seqlearn/models or @seqlearn/backend is an error', async () => {
    const code =
      "import { train } from '@seqlearn/models';\nimport { initBackend } from '@seqlearn/backend';\nexport const both = [train, initBackend];\n";
    const errors = errorsOf(await lintAs('packages/glove/src/boundary-probe.ts', code));
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e.message).toContain('never imports @seqlearn/models or @seqlearn/backend');
  });

  it('dataset imports no other @seqlearn package', async () => {
    const errors = errorsOf(
      await lintAs('packages/dataset/src/boundary-probe.ts', "import { Tokenizer } from '@seqlearn/text';\nexport const t = Tokenizer;\n"),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('must not import a package that depends on it');
  });

  it('no package imports a package that depends on it', async () => {
    const errors = errorsOf(
      await lintAs('packages/backend/src/boundary-probe.ts', "import { train } from '@seqlearn/models';\nexport const t = train;\n"),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('@seqlearn/backend must not import a package that depends on it (@seqlearn/models)');
  });

  it('no package imports the app or tooling', async () => {
    const errors = errorsOf(
      await lintAs('packages/models/src/boundary-probe.ts', "import { main } from '@seqlearn/pipeline';\nexport const m = main;\n"),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('never imports an app or tooling');
  });

  it("no deep import into another package's src/ or dist/", async () => {
    const relative = errorsOf(
      await lintAs('packages/text/src/boundary-probe.ts', "import { x } from '../../dataset/src/index.js';\nexport const y = x;\n"),
    );
    expect(relative.map((e) => e.ruleId)).toEqual(['seqlearn/no-relative-cross-package']);
    const byName = errorsOf(
      await lintAs('packages/text/src/boundary-probe.ts', "import { x } from '@seqlearn/dataset/dist/index.js';\nexport const y = x;\n"),
    );
    expect(byName.map((e) => e.ruleId)).toEqual(['no-restricted-imports']);
  });

  it('tests may import their own package and the shared vitest helpers', async () => {
    const code =
      "import { x } from '@seqlearn/dataset';\nimport { hasShared } from '@seqlearn/vitest-preset/shared';\nimport { y } from '../src/index.js';\nexport const z = [x, y, hasShared];\n";
    expect(errorsOf(await lintAs('packages/dataset/test/boundary-probe.test.ts', code))).toEqual([]);
  });
});
