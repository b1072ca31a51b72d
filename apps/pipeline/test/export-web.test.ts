import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '@seqlearn/dataset';
import { hasChromium, launchChromium } from './chromium.js';
import { cli } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'seqlearn-export-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Short reviews whose label follows their sentiment words: a small own-data set that trains in a second. */
function writeReviews(path: string): void {
  const rng = createRng(7);
  const pick = (words: string[]) => words[rng.nextInt(words.length)];
  const good = ['great', 'wonderful', 'loved', 'excellent', 'fun', 'moving', 'brilliant', 'charming'];
  const bad = ['boring', 'awful', 'hated', 'terrible', 'dull', 'weak', 'clumsy', 'tedious'];
  const filler = ['the', 'movie', 'plot', 'acting', 'was', 'and', 'a', 'film', 'story', 'really', 'quite', 'cast'];
  const rows = Array.from({ length: 80 }, (_, i) => {
    const words = Array.from({ length: 4 + rng.nextInt(6) }, () => pick(filler));
    for (let k = 1 + rng.nextInt(3); k > 0; k--) words.splice(rng.nextInt(words.length + 1), 0, pick(i % 2 ? good : bad));
    return [words.join(' '), i % 2 ? 'pos' : 'neg'];
  });
  writeFileSync(path, stringify([['text', 'label'], ...rows]));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/** The exported folder over http on 127.0.0.1, as a user's static server would serve it. */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

const TEXTS = ['what a wonderful and charming film', 'the plot was boring and the acting awful', 'a movie'];

describe.skipIf(!hasChromium)('seqlearn export --web, in headless Chromium', () => {
  it('the page predicts what `seqlearn predict` does for three typed texts, with no console errors', async () => {
    const data = join(tmp, 'reviews.csv');
    writeReviews(data);
    const run = join(tmp, 'run');
    const trained = await cli(['train', data, '--epochs', '2', '--out', run]);
    expect(trained.code, trained.stderr).toBe(0);
    const bundle = join(run, 'bundle');

    const web = join(tmp, 'web');
    const exported = await cli(['export', bundle, '--web', web]);
    expect(exported.code, exported.stderr).toBe(0);
    const size = /app\.js ([\d.]+) kB \(([\d.]+) kB gzipped\)/.exec(exported.stdout);
    expect(size, exported.stdout).not.toBeNull();
    // What a page loads for text prediction besides tfjs; the size is reported, and kept small.
    expect(Number(size![2])).toBeLessThan(60);

    const input = join(tmp, 'texts.csv');
    writeFileSync(input, stringify([['text'], ...TEXTS.map((t) => [t])]));
    const predicted = await cli(['predict', bundle, '--input', input, '--output', join(tmp, 'cli.csv')]);
    expect(predicted.code, predicted.stderr).toBe(0);
    const expected = parse(readFileSync(join(tmp, 'cli.csv'), 'utf8'), { columns: true }) as { label: string; probability: string }[];
    expect(expected).toHaveLength(TEXTS.length);

    const { server, url } = await serve(web);
    const context = await launchChromium(join(tmp, 'profile'));
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText ?? 'failed'}`));
      await page.goto(url);
      await page.waitForSelector('body[data-state="ready"]', { timeout: 60_000 });
      for (const [i, text] of TEXTS.entries()) {
        await page.fill('#text', '');
        await page.type('#text', text);
        const shown = page.locator('#prediction');
        await expect.poll(() => shown.getAttribute('data-text')).toBe(text);
        const label = await shown.getAttribute('data-label');
        const probability = Number(await shown.getAttribute('data-probability'));
        expect(label).toBe(expected[i].label);
        // The CLI writes 6 decimals; the page keeps the full float.
        expect(Math.abs(probability - Number(expected[i].probability))).toBeLessThan(1e-5);
        expect(await page.textContent('#label')).toBe(expected[i].label);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      server.close();
    }
  });
});
