import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { corpusTable } from '@seqlearn/dataset';
import type { ProgressCallback } from './archive.js';
import { TextDecoding } from './decode.js';
import { CorporaOptionError, LayoutError } from './errors.js';

export interface TextFolderOptions {
  /**
   * The class folders to read, in label order (Keras's `class_names`). Default: every subfolder,
   * sorted by code point. A name that is not a subfolder is an error listing the ones there are.
   */
  classNames?: readonly string[];
  /** Called as files are read; bytes are file bytes read so far out of the total. */
  onProgress?: ProgressCallback;
  /** Encoding for files that are not valid UTF-8 (default `windows-1252`, a superset of Latin-1). */
  fallbackEncoding?: string;
}

interface FolderFile {
  /** Path relative to the root, with `/`. */
  id: string;
  path: string;
  label: number;
  bytes: number;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const hidden = (name: string): boolean => name.startsWith('.');

/** Every regular file below `dir`, hidden files and folders left out, in code-point order. */
async function listFiles(dir: string, relative: string): Promise<{ rel: string; path: string; bytes: number }[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !hidden(e.name)).sort((a, b) => byCodePoint(a.name, b.name));
  const found: { rel: string; path: string; bytes: number }[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const rel = `${relative}/${entry.name}`;
    // Symbolic links are followed: a corpus assembled from links is still the user's data.
    const info = await stat(path);
    if (info.isDirectory()) found.push(...(await listFiles(path, rel)));
    else if (info.isFile()) found.push({ rel, path, bytes: info.size });
  }
  return found;
}

/**
 * Reads a folder with one subfolder per class, as Keras's `text_dataset_from_directory`, into a
 * corpus table: `text` (the file, UTF-8 with the BOM dropped; other bytes decoded with the
 * fallback encoding), `label` (the class folder's index in the sorted class names, or in
 * `classNames`), `id` (the path relative to `dir`, with `/`). Files in nested folders under a
 * class folder belong to that class; hidden files and folders (`.DS_Store`, `.git`) are skipped.
 * Metadata: `seqlearn.labels`, `seqlearn.source` (= `dir`), `seqlearn.decoding` (files that
 * needed the fallback encoding).
 */
export async function readTextFolder(dir: string, options: TextFolderOptions = {}): Promise<Table> {
  const decoding = new TextDecoding(options.fallbackEncoding);
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined) throw new LayoutError({ file: dir }, 'does not exist; expected a folder with one subfolder per class');
  if (!info.isDirectory()) throw new LayoutError({ file: dir }, 'is not a folder; expected a folder with one subfolder per class');
  const entries = await readdir(dir, { withFileTypes: true });
  const folders: string[] = [];
  for (const entry of entries) {
    if (hidden(entry.name)) continue;
    if ((await stat(join(dir, entry.name))).isDirectory()) folders.push(entry.name);
  }
  folders.sort(byCodePoint);
  if (folders.length === 0) {
    throw new LayoutError(
      { file: dir },
      "has no subfolders; expected one subfolder per class (e.g. pos/ and neg/), each holding that class's text files",
    );
  }
  let classNames: string[];
  if (options.classNames !== undefined) {
    classNames = [...options.classNames];
    const seen = new Set<string>();
    for (const name of classNames) {
      if (seen.has(name)) throw new CorporaOptionError(`classNames lists "${name}" twice`);
      seen.add(name);
      if (!folders.includes(name)) {
        throw new LayoutError(
          { file: dir },
          `has no class folder "${name}" (from classNames); the folders there are ${folders.map((f) => `"${f}"`).join(', ')}`,
        );
      }
    }
  } else {
    classNames = folders;
  }
  if (classNames.length < 2) {
    throw new LayoutError(
      { file: dir },
      `has ${classNames.length} class folder (${classNames.map((f) => `"${f}"`).join(', ')}); a classifier needs at least 2 classes, one subfolder each`,
    );
  }

  const files: FolderFile[] = [];
  for (const [label, name] of classNames.entries()) {
    const found = await listFiles(join(dir, name), name);
    if (found.length === 0)
      throw new LayoutError(
        { file: join(dir, name) },
        `class folder "${name}" holds no files; expected its text files (any name, nested folders allowed)`,
      );
    for (const f of found) files.push({ id: f.rel, path: f.path, label, bytes: f.bytes });
  }

  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  let bytesRead = 0;
  const text: string[] = [];
  const label = new Int32Array(files.length);
  const id: string[] = [];
  for (const [i, file] of files.entries()) {
    const bytes = await readFile(file.path);
    text.push(decoding.decode(bytes, file.id));
    label[i] = file.label;
    id.push(file.id);
    bytesRead += bytes.length;
    if (options.onProgress && (i + 1) % 500 === 0) options.onProgress({ bytesRead, totalBytes, records: i + 1 });
  }
  options.onProgress?.({ bytesRead: totalBytes, totalBytes, records: files.length });
  return corpusTable(
    { text, label, id },
    { labels: classNames, source: dir, metadata: { 'seqlearn.decoding': JSON.stringify(decoding.report) } },
  );
}
