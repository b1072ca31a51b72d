import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKIP_WITHOUT_SHARED, hasShared, sharedDataPath } from '@seqlearn/vitest-preset/shared';
import { META, readTableSync } from '@seqlearn/dataset';
import { STACK_LINE, appDir, cli } from './cli-helpers.js';
import { writeImdb, writePrsaCsv, writeReutersCsv } from './own-data-fixtures.js';

/**
 * `seqlearn train / evaluate / predict` spawned as a user runs them, on the real data sets
 * written out as a user's own files. Sizes are cut so the suite stays within minutes; the
 * full-size figures are in the app README.
 */
const tmp = mkdtempSync(join(tmpdir(), 'seqlearn-own-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Results {
  task: string;
  test: { accuracy?: number; macroF1?: number; mae?: number };
  baseline: { accuracy?: number; mae?: number; name: string };
  rows: { train: number; validation: number; test: number };
  confusion?: { labels: string[]; matrix: number[][] };
}

const results = (run: string) => JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as Results;
const csvRows = (path: string) => parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];

if (!hasShared) console.warn(SKIP_WITHOUT_SHARED);

describe.skipIf(!hasShared)('seqlearn train on your own text', () => {
  let data: Awaited<ReturnType<typeof writeImdb>>;
  beforeAll(async () => {
    data = await writeImdb(tmp, sharedDataPath('aclImdb_v1_labelled.tar.gz'), 1000);
  }, 120_000);

  const folderRun = join(tmp, 'folder-run');
  const threadsRun = join(tmp, 'threads-run');

  it('a folder of class subfolders: summary, held-out test beside the majority class, bundle, report', async () => {
    const r = await cli(['train', data.imdbFolder, '--epochs', '6', '--out', folderRun]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2000 rows, 2 classes \(neg 1000, pos 1000\)/);
    expect(r.stdout).toMatch(/words per text: median \d+, 95th percentile \d+/);
    expect(r.stdout).toMatch(/maxlen \d+ \(95th percentile of the training texts/);
    const res = results(folderRun);
    expect(res.task).toBe('classify');
    expect(res.rows).toEqual({ train: 1280, validation: 320, test: 400 });
    expect(res.baseline.accuracy).toBeCloseTo(0.5, 5);
    expect(res.test.accuracy!).toBeGreaterThan(res.baseline.accuracy! + 0.1);
    expect(r.stdout).toContain(
      `test: accuracy ${res.test.accuracy!.toFixed(4)}, macro F1 ${res.test.macroF1!.toFixed(4)} on 400 held-out rows`,
    );
    expect(res.confusion!.matrix.flat().reduce((a, b) => a + b, 0)).toBe(400);
    for (const f of ['stages/corpus.arrow', 'stages/sequences.arrow', 'bundle/bundle.json', 'history.json', 'test.csv'])
      expect(existsSync(join(folderRun, f)), f).toBe(true);
    const report = readFileSync(join(folderRun, 'report.html'), 'utf8');
    expect(report).toContain('id="confusion"');
    expect(report).toContain('<svg');
    // Without a terminal: one summary line per epoch; a long epoch adds plain progress lines
    // (batches done, running loss), at most one every five seconds.
    expect(r.stderr.match(/^epoch 1\/6: (?!\d+\/\d+ batches)/gm)).toHaveLength(1);
    expect(r.stderr.match(/^epoch 1\/6: \d+\/\d+ batches.*loss/gm)?.length ?? 0).toBeLessThanOrEqual(40 / 5);
  });

  it('with the tokenizer on worker threads, the tokenizer and sequences are those of one thread', async () => {
    const r = await cli(['train', data.imdbFolder, '--model', 'embedding-flatten', '--epochs', '1', '--out', threadsRun], {
      SEQLEARN_PARALLEL_TOKENIZER_ROWS: '0',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/distinct words \(\d+ threads\)/);
    const [one, two] = [folderRun, threadsRun].map((dir) => readTableSync(join(dir, 'stages', 'sequences.arrow')));
    expect(two.schema.metadata.get(META.tokenizer)).toBe(one.schema.metadata.get(META.tokenizer));
    expect(two.getChild('tokens')!.data[0]!.children[0]!.values).toEqual(one.getChild('tokens')!.data[0]!.children[0]!.values);
  }, 300_000);

  it('evaluate and predict --input on the held-out file reproduce the test accuracy', async () => {
    const accuracy = results(folderRun).test.accuracy!;
    const e = await cli(['evaluate', join(folderRun, 'bundle'), join(folderRun, 'test.csv')]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain(`accuracy ${accuracy.toFixed(4)} on 400 rows`);
    const out = join(tmp, 'predictions.jsonl');
    const p = await cli(['predict', join(folderRun, 'bundle'), '--input', join(folderRun, 'test.csv'), '--output', out]);
    expect(p.code, p.stderr).toBe(0);
    const predicted = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { label: string; probability: number });
    const truth = csvRows(join(folderRun, 'test.csv'));
    expect(predicted).toHaveLength(truth.length);
    expect(predicted.every((q) => q.probability >= 0.5 && q.probability <= 1)).toBe(true);
    expect(predicted.filter((q, i) => q.label === truth[i].label).length / truth.length).toBeCloseTo(accuracy, 10);
  });

  it('a file given to predict as an argument is read as a file, not classified as text', async () => {
    const p = await cli(['predict', join(folderRun, 'bundle'), join(folderRun, 'test.csv')]);
    expect(p.code, p.stderr).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,label,probability');
    expect(lines).toHaveLength(401);
  });

  it('the same reviews as CSV with other column names, and as JSON Lines, beat the majority class', async () => {
    const csvRun = join(tmp, 'csv-run');
    const c = await cli([
      'train',
      data.imdbCsv,
      '--text-column',
      'review',
      '--label-column',
      'sentiment',
      '--epochs',
      '6',
      '--out',
      csvRun,
    ]);
    expect(c.code, c.stderr).toBe(0);
    expect(results(csvRun).test.accuracy!).toBeGreaterThan(results(csvRun).baseline.accuracy! + 0.1);
    const jsonlRun = join(tmp, 'jsonl-run');
    const j = await cli(['train', data.imdbJsonl, '--epochs', '6', '--out', jsonlRun]);
    expect(j.code, j.stderr).toBe(0);
    expect(results(jsonlRun).test.accuracy!).toBeGreaterThan(results(jsonlRun).baseline.accuracy! + 0.1);
  }, 240_000);
});

describe.skipIf(!hasShared)('seqlearn train on a multi-class CSV (Reuters newswires)', () => {
  it('a softmax over the topics beats the most frequent topic on held-out wires', async () => {
    const csv = await writeReutersCsv(tmp, sharedDataPath('reuters21578.tar.gz'));
    const run = join(tmp, 'reuters-run');
    const r = await cli([
      'train',
      csv,
      '--text-column',
      'body',
      '--label-column',
      'topic',
      '--maxlen',
      '100',
      '--epochs',
      '6',
      '--out',
      run,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const res = results(run);
    expect(res.confusion!.labels).toHaveLength(46);
    expect(res.baseline.name).toContain('"earn"');
    expect(res.test.accuracy!).toBeGreaterThan(res.baseline.accuracy! + 0.1);
  }, 300_000);
});

describe.skipIf(!hasShared)('seqlearn train on your own series (PRSA as a generic CSV)', () => {
  const run = join(tmp, 'series-run');
  let csv: string;
  beforeAll(() => {
    csv = writePrsaCsv(tmp, sharedDataPath('PRSA_data_2010.1.1-2014.12.31.csv'));
  });

  it('finds the ISO time column, forecasts a day ahead and beats the common-sense baseline in °C', async () => {
    const r = await cli(['train', csv, '--target', 'temperature', '--out', run]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/43824 rows, 2010-01-01T00:00:00Z → 2014-12-31T23:00:00Z, one row every 1 hour/);
    expect(r.stdout).toMatch(/missing values \(interpolate\): pm25 \d+/);
    expect(r.stdout).toContain('forecasting temperature 24 rows (1 day)');
    const res = results(run);
    expect(res.task).toBe('forecast');
    expect(res.test.mae!).toBeLessThan(res.baseline.mae!);
    expect(res.baseline.mae!).toBeGreaterThan(1);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('id="forecast"');
  }, 240_000);

  it('evaluate and predict --input on the held-out rows reproduce the test MAE', async () => {
    const res = results(run);
    const e = await cli(['evaluate', join(run, 'bundle'), join(run, 'test.csv')]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain(`MAE ${res.test.mae!.toFixed(4)} on ${res.rows.test} windows`);
    const out = join(tmp, 'forecasts.csv');
    const p = await cli(['predict', join(run, 'bundle'), '--input', join(run, 'test.csv'), '--output', out]);
    expect(p.code, p.stderr).toBe(0);
    const rows = csvRows(out).filter((row) => row.temperature_actual !== '');
    expect(rows).toHaveLength(res.rows.test);
    const mae = rows.reduce((s, row) => s + Math.abs(Number(row.temperature_forecast) - Number(row.temperature_actual)), 0) / rows.length;
    expect(mae).toBeCloseTo(res.test.mae!, 4);
  });
});

describe('seqlearn train: bad input gets one line, a non-zero exit and no run folder', () => {
  const bad = join(tmp, 'bad');
  mkdirSync(bad, { recursive: true });
  const write = (name: string, text: string) => {
    const path = join(bad, name);
    writeFileSync(path, text);
    return path;
  };
  const hourly = (
    n: number,
    value: (i: number) => string,
    time = (i: number) => new Date(Date.UTC(2020, 0, 1, i)).toISOString().slice(0, 16),
  ) => ['time,temp,wind', ...Array.from({ length: n }, (_, i) => `${time(i)},${value(i)},${(i * 7) % 5}`)].join('\n') + '\n';
  const texts = (n: number) =>
    Array.from({ length: n }, (_, i) => `"review number ${i} says it was ${i % 2 ? 'great' : 'awful'}",${i % 2 ? 'pos' : 'neg'}`);

  const expectOneLine = async (args: string[], pattern: RegExp) => {
    const out = join(bad, `run-${Math.random().toString(36).slice(2)}`);
    const r = await cli([...args, '--out', out]);
    expect(r.code, r.stdout).not.toBe(0);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('seqlearn: '));
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(out), 'no half-written run folder').toBe(false);
  };

  it('a missing column names the columns there are', async () => {
    await expectOneLine(
      ['train', write('cols.csv', ['body,label', ...texts(20)].join('\n')), '--text-column', 'review'],
      /"review".*body.*label/,
    );
  });
  it('an empty file', async () => {
    await expectOneLine(['train', write('empty.csv', '')], /empty\.csv.*empty|empty\.csv.*no rows/i);
  });
  it('a class with a single example', async () => {
    await expectOneLine(
      ['train', write('single.csv', ['text,label', ...texts(20), '"one of a kind",odd'].join('\n'))],
      /class "odd" has a single example/,
    );
  });
  it('labels missing on some rows', async () => {
    await expectOneLine(
      ['train', write('unlabelled.csv', ['text,label', ...texts(10), '"no label here",', ...texts(5)].join('\n'))],
      /unlabelled\.csv.*(row|line) \d+.*label/i,
    );
  });
  it('a text column that holds numbers only', async () => {
    await expectOneLine(
      ['train', write('numbers.csv', ['text,label', ...Array.from({ length: 20 }, (_, i) => `${i * 3},${i % 2}`)].join('\n'))],
      /numbers\.csv.*"text".*number/i,
    );
  });
  it('a series with a non-numeric cell', async () => {
    await expectOneLine(
      [
        'train',
        write(
          'cell.csv',
          hourly(400, (i) => (i === 123 ? 'n/a?' : String(10 + (i % 24)))),
        ),
        '--target',
        'temp',
      ],
      /cell\.csv.*line 125.*"temp".*n\/a\?/,
    );
  });
  it('unsorted timestamps', async () => {
    const order = (i: number) => new Date(Date.UTC(2020, 0, 1, i === 50 ? 10 : i)).toISOString().slice(0, 16);
    await expectOneLine(
      [
        'train',
        write(
          'unsorted.csv',
          hourly(400, (i) => String(i % 24), order),
        ),
        '--target',
        'temp',
      ],
      /unsorted\.csv.*line 52/,
    );
  });
  it('duplicate timestamps', async () => {
    const dup = (i: number) => new Date(Date.UTC(2020, 0, 1, i === 60 ? 59 : i)).toISOString().slice(0, 16);
    await expectOneLine(
      [
        'train',
        write(
          'dup.csv',
          hourly(400, (i) => String(i % 24), dup),
        ),
        '--target',
        'temp',
      ],
      /dup\.csv.*line 6[12]/,
    );
  });
  it('a lookback longer than the series', async () => {
    await expectOneLine(
      [
        'train',
        write(
          'short.csv',
          hourly(300, (i) => String(i % 24)),
        ),
        '--target',
        'temp',
      ],
      /lookback of 240 rows.*shorter --lookback/,
    );
  });
  it('an unknown model name lists the ones there are', async () => {
    await expectOneLine(
      ['train', write('model.csv', ['text,label', ...texts(20)].join('\n')), '--model', 'transformer'],
      /unknown model "transformer".*gru/,
    );
  });

  it('gaps in a series are filled by interpolation and reported', async () => {
    const skip = new Set([100, 101, 102, 250]);
    const rows = Array.from({ length: 600 }, (_, i) => i).filter((i) => !skip.has(i));
    const csv = [
      'time,temp,wind',
      ...rows.map((i) => `${new Date(Date.UTC(2020, 0, 1, i)).toISOString().slice(0, 16)},${10 + 5 * Math.sin(i / 4)},${i % 5}`),
    ].join('\n');
    const out = join(bad, 'gaps-run');
    const r = await cli([
      'train',
      write('gaps.csv', csv),
      '--target',
      'temp',
      '--lookback',
      '24',
      '--delay',
      '4',
      '--epochs',
      '1',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 gaps in the times: 4 rows inserted and filled');
    expect(r.stdout).toContain('600 rows');
  });
});

describe('the seqlearn command', () => {
  it('runs from the checkout without tsx flags (the bin npx and pnpm find)', () => {
    const r = spawnSync(process.execPath, [join(appDir, 'bin', 'seqlearn.mjs'), 'train', '--help'], {
      cwd: resolve(appDir, '..', '..'),
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('--text-column');
    expect(r.stdout).toContain('--test-split');
  });
});
