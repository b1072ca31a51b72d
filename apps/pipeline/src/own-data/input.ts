import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import { readSeriesCsv, readTextFolder, readTextTable, type ReadProgress } from '@seqlearn/corpora';
import { UserError } from '../errors.js';
import type { Progress, ProgressTask } from '../progress/progress.js';

/** The flags that say where a user's data sits in their file: every command that reads data takes them. */
export interface ColumnFlags {
  textColumn?: string;
  labelColumn?: string;
  target?: string;
  timeColumn?: string;
  timeFormat?: string;
}

export type Task = 'classify' | 'forecast';

export const TEXT_TABLE_EXTENSIONS = ['.csv', '.tsv', '.tab', '.json', '.jsonl', '.ndjson'];

/** What `<data>` is: a folder of class subfolders, or a table file. */
export function dataKind(path: string): 'folder' | 'file' {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new UserError(`${path} does not exist: expected a folder of class subfolders, or a ${TEXT_TABLE_EXTENSIONS.join(' / ')} file`);
  }
  if (stats.isDirectory()) return 'folder';
  if (!TEXT_TABLE_EXTENSIONS.includes(extname(path).toLowerCase())) {
    throw new UserError(
      `${path}: cannot tell the format from the extension "${extname(path)}"; expected a folder or a ${TEXT_TABLE_EXTENSIONS.join(' / ')} file`,
    );
  }
  return 'file';
}

/** `--task` when given, else forecast when a target is named, else classify. */
export function chooseTask(task: Task | undefined, flags: ColumnFlags): Task {
  return task ?? (flags.target === undefined ? 'classify' : 'forecast');
}

/**
 * What a stage key needs to notice changed input: for a file its size and modification time,
 * for a folder the same for every file below it (a folder's own mtime misses edited files).
 */
export function inputIdentity(path: string): unknown {
  const root = resolve(path);
  const stats = statSync(root);
  if (!stats.isDirectory()) return { path: root, bytes: stats.size, mtimeMs: Math.round(stats.mtimeMs) };
  const files: [string, number, number][] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const s = statSync(full);
        files.push([relative(root, full), s.size, Math.round(s.mtimeMs)]);
      }
    }
  };
  walk(root);
  return { path: root, files: files.sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
}

/** A progress bar that appears on the first report of a reader and follows its bytes. */
function readerProgress(progress: Progress, label: string): { onProgress: (p: ReadProgress) => void; finish: (info: string) => void } {
  let task: ProgressTask | undefined;
  return {
    onProgress: (p) => {
      task ??= progress.task(label, Math.max(1, Math.round(p.totalBytes / 1e3)), 'kB');
      task.update(Math.round(p.bytesRead / 1e3), `${p.records} records`);
    },
    finish: (info) => task?.finish(info),
  };
}

/** A corpus table from a class-folder tree or a CSV / TSV / JSON / JSON Lines file. */
export async function readCorpus(path: string, flags: ColumnFlags, progress: Progress, classNames?: readonly string[]): Promise<Table> {
  const bar = readerProgress(progress, `reading ${basename(path)}`);
  const table =
    dataKind(path) === 'folder'
      ? await readTextFolder(path, { onProgress: bar.onProgress, ...(classNames ? { classNames: [...classNames] } : {}) })
      : await readTextTable(path, {
          textColumn: flags.textColumn ?? 'text',
          labelColumn: flags.labelColumn ?? 'label',
          onProgress: bar.onProgress,
          ...(classNames ? { classNames: [...classNames] } : {}),
        });
  bar.finish(`${table.numRows} rows`);
  return table;
}

/** Texts to score, without labels: a file, or a folder whose files are the texts. */
export async function readUnlabeledTexts(path: string, flags: ColumnFlags, progress: Progress): Promise<Table> {
  const bar = readerProgress(progress, `reading ${basename(path)}`);
  const table =
    dataKind(path) === 'folder'
      ? await readTextFolder(path, { onProgress: bar.onProgress })
      : await readTextTable(path, { textColumn: flags.textColumn ?? 'text', labelColumn: null, onProgress: bar.onProgress });
  bar.finish(`${table.numRows} rows`);
  return table;
}

export interface SeriesReadOptions {
  categorical?: readonly string[];
  timeFormat?: string;
}

/** A timeseries table from any regular CSV, with its time column found or named. */
export async function readSeries(path: string, flags: ColumnFlags, progress: Progress, options: SeriesReadOptions = {}): Promise<Table> {
  if (dataKind(path) === 'folder') throw new UserError(`${path} is a folder; forecasting reads one CSV file with a time column`);
  const bar = readerProgress(progress, `reading ${basename(path)}`);
  const format = flags.timeFormat ?? options.timeFormat;
  const table = await readSeriesCsv(path, {
    ...(flags.timeColumn ? { timeColumn: flags.timeColumn } : {}),
    ...(format ? { timeFormat: format } : {}),
    ...(flags.target ? { target: flags.target } : {}),
    ...(options.categorical ? { categorical: [...options.categorical] } : {}),
    ...(extname(path).toLowerCase() === '.tsv' ? { delimiter: '\t' } : {}),
    onProgress: bar.onProgress,
  });
  bar.finish(`${table.numRows} rows`);
  return table;
}
