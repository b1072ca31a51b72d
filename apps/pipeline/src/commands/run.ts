import { resolve } from 'node:path';
import { initBackend, type BackendChoice } from '@seqlearn/backend';
import { UserError } from '../errors.js';
import { findExperiment } from '../experiments/catalog.js';
import type { ProfileName } from '../experiments/profiles.js';
import { closeExperiments } from '../experiments/suggest.js';
import { resolveDataDir } from '../data/locate.js';
import type { RunContext } from '../pipeline/context.js';
import { runExperiment, type RunOutcome } from '../pipeline/run-experiment.js';
import { createProgress } from '../progress/progress.js';
import { inRunDir } from '../run-dir.js';

export interface RunFlags {
  profile: ProfileName;
  dataDir?: string;
  epochs?: number;
  stepsPerEpoch?: number;
  seed: number;
  backend?: BackendChoice;
  out?: string;
}

export function experimentOrExit(id: string) {
  const exp = findExperiment(id);
  if (exp === undefined) {
    const close = closeExperiments(id);
    throw new UserError(
      `unknown experiment "${id}"${close.length ? `; did you mean ${close.join(', ')}?` : ''} ("seqlearn list" shows them all)`,
    );
  }
  return exp;
}

export const say = (line: string) => process.stdout.write(`${line}\n`);

export async function makeContext(
  runDir: string,
  flags: Pick<RunFlags, 'seed' | 'backend'>,
  dataDir: string | undefined,
): Promise<RunContext> {
  const backend = await initBackend(flags.backend === undefined ? {} : { backend: flags.backend });
  return { runDir, progress: createProgress(), say, backend, seed: flags.seed, dataDir };
}

export function summary(outcome: RunOutcome): string[] {
  const r = outcome.results;
  const lines = [
    `result: ${r.metric} ${r.value.toFixed(4)}${r.bookValue === undefined ? '' : ` (the book: ${r.bookValue}, ${r.bookFigure})`}${r.baseline ? ` | ${r.baseline.name} ${r.baseline.value.toFixed(4)}` : ''}`,
  ];
  for (const note of r.notes?.slice(1) ?? []) lines.push(`        ${note}`);
  lines.push(`report: ${outcome.reportPath}`);
  return lines;
}

export async function runCommand(id: string, flags: RunFlags): Promise<void> {
  const exp = experimentOrExit(id);
  const dataDir = resolveDataDir(flags.dataDir);
  const runDir = resolve(flags.out ?? `runs/${exp.id}`);
  await inRunDir(runDir, `running ${exp.id}`, async () => {
    const ctx = await makeContext(runDir, flags, dataDir);
    const outcome = await runExperiment(ctx, exp, {
      profile: flags.profile,
      ...(flags.epochs ? { epochs: flags.epochs } : {}),
      ...(flags.stepsPerEpoch ? { stepsPerEpoch: flags.stepsPerEpoch } : {}),
    });
    for (const line of summary(outcome)) say(line);
  });
}
