import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './chromium.js';
import { cli } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'seqlearn-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Six epochs of an accuracy run, as `seqlearn run` leaves them; `seqlearn report` draws the page.
const EPOCHS = 6;
const history = {
  loss: [0.68, 0.56, 0.47, 0.42, 0.39, 0.36],
  acc: [0.6, 0.75, 0.78, 0.81, 0.83, 0.85],
  val_loss: [0.63, 0.52, 0.49, 0.48, 0.48, 0.49],
  val_acc: [0.7, 0.75, 0.76, 0.77, 0.77, 0.77],
};
const results = {
  experiment: 'imdb-embedding-flatten',
  title: 'IMDB: Embedding + Flatten, maxlen 20',
  dataset: 'imdb',
  model: 'embeddingFlatten',
  profile: 'quick',
  bookFigure: 'listing 6.7',
  metric: 'val_acc',
  value: 0.77,
  bookValue: 0.76,
  config: { maxlen: 20 },
  seed: 1,
  backend: 'cpu',
  seconds: 12,
};

describe.skipIf(!hasChromium)('report.html in headless Chromium', () => {
  it('renders every chart as SVG marks, with no console errors', async () => {
    const runDir = join(tmp, 'run');
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'history.json'), JSON.stringify(history));
    writeFileSync(join(runDir, 'results.json'), JSON.stringify(results));
    const r = await cli(['report', runDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`report: ${join(runDir, 'report.html')}`);

    const context = await launchChromium(join(tmp, 'profile'));
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(join(runDir, 'report.html')).href);
      const charts = await page.$$eval('#charts svg', (svgs) =>
        svgs.map((svg) => ({
          points: svg.querySelectorAll('g.mark-symbol.role-mark path').length,
          lines: svg.querySelectorAll('g.mark-line.role-mark path').length,
          width: svg.getBoundingClientRect().width,
          text: svg.textContent ?? '',
        })),
      );
      // One chart per metric (loss, acc): training as points, validation as a line, as in the book.
      expect(charts).toHaveLength(2);
      for (const chart of charts) {
        expect(chart.points).toBe(EPOCHS);
        expect(chart.lines).toBeGreaterThanOrEqual(1);
        expect(chart.width).toBeGreaterThan(100);
        expect(chart.text).toContain('epoch');
      }
      expect(await page.textContent('#value')).toBe('0.7700');
      expect(await page.textContent('#book-value')).toBe('0.7600');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
