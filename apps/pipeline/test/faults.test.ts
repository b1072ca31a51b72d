import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SKIP_WITHOUT_SHARED, hasData, sharedDataPath } from '@seqlearn/vitest-preset/shared';
import { STACK_LINE, cli, startCli } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'seqlearn-faults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One line on stderr, a non-zero exit and no stack trace. */
function expectOneLine(r: { code: number | null; stderr: string }, message: RegExp | string): void {
  expect(r.code).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  if (typeof message === 'string') expect(lines[0]).toBe(`seqlearn: ${message}`);
  else expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(STACK_LINE);
}

describe('a run folder that cannot be used, or a data dir without data: one line, nothing left behind', () => {
  it('--out that is a file, under a file, or not writable', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'not a folder\n');
    // Root writes through access bits; a sysfs path is not writable for anyone.
    let locked = '/sys';
    if (process.getuid?.() !== 0) {
      locked = join(tmp, 'locked');
      mkdirSync(locked, { mode: 0o555 });
    }
    const [isFile, underFile, notWritable] = await Promise.all([
      cli(['run', 'weather-gru', '--out', file]),
      cli(['run', 'weather-gru', '--out', join(file, 'run')]),
      cli(['run', 'weather-gru', '--out', join(locked, 'run')]),
    ]);
    expectOneLine(isFile, `--out ${file} is a file, not a folder; give the path of a folder for the run`);
    expectOneLine(underFile, `--out ${join(file, 'run')} cannot be made: ${file} is a file, not a folder`);
    expectOneLine(
      notWritable,
      new RegExp(`^seqlearn: --out ${join(locked, 'run')} is not writable \\((EACCES|EPERM|EROFS) in ${locked}\\)`),
    );
  });

  it('a data dir without the data set leaves no empty run folder', async () => {
    const empty = join(tmp, 'empty-data');
    mkdirSync(empty);
    const out = join(tmp, 'never-made');
    const r = await cli(['run', 'weather-gru', '--data-dir', empty, '--out', out]);
    expectOneLine(r, /^seqlearn: no weather series in .*empty-data: expected/);
    expect(existsSync(out)).toBe(false);
  });

  it('report on a damaged results.json names the file', async () => {
    const run = join(tmp, 'damaged');
    mkdirSync(run);
    writeFileSync(join(run, 'results.json'), '{"experiment": "weather-gru", "val');
    writeFileSync(join(run, 'history.json'), '{"loss": [1]}\n');
    const r = await cli(['report', run]);
    expectOneLine(r, new RegExp(`^seqlearn: ${join(run, 'results.json')} is damaged \\(.*\\); rerun`));
  });
});

if (!hasData) console.warn(SKIP_WITHOUT_SHARED);

describe.skipIf(!hasData)('a signal while the stages are being built (the real PRSA series)', () => {
  it.each([
    ['SIGINT', 130, 'interrupted'],
    ['SIGTERM', 143, 'terminated'],
  ] as const)('%s: says what was interrupted, exits %i, leaves no half-written file', async (signal, code, word) => {
    const out = join(tmp, `signal-${signal}`);
    const run = startCli(['run', 'weather-gru', '--profile', 'tiny', '--backend', 'cpu', '--data-dir', sharedDataPath(), '--out', out]);
    // The stages folder appears as the first stage starts; reading PRSA's 43,824 rows into it takes long after.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (existsSync(join(out, 'stages'))) {
          clearInterval(timer);
          run.child.kill(signal);
          resolve();
        }
      }, 20);
      run.child.on('close', () => {
        clearInterval(timer);
        reject(new Error(`finished before the signal:\n${run.output()}`));
      });
    });
    const r = await run.done;
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr.trim()).toBe(`seqlearn: ${word} (${signal}) while building the "series" stage; nothing half-written is left`);
    expect(r.stdout).not.toMatch(/^series: built/m);
    // The run had not finished a stage: its folder is gone, with no table, record or temporary file.
    const left = existsSync(out) ? readdirSync(out, { recursive: true }) : [];
    expect(left).toEqual([]);
  });
});
