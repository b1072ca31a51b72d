import {
  basename,
  dirname,
  join,
  mkdir,
  mkdirSync,
  processId,
  randomBytes,
  rename,
  renameSync,
  rm,
  rmSync,
  writeFile,
  writeFileSync,
} from '#platform';

export interface AtomicWriteOptions {
  /** Create the parent folder first (default false). */
  mkdir?: boolean;
}

/**
 * A name beside `path`, in the same folder so the final rename stays on one file system
 * (a rename across devices is a copy, and not atomic). Dot-prefixed so folder listings
 * that skip hidden files never pick up a half-written one.
 */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${processId()}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * A file written in steps (a stream) that appears at `path` whole or not at all: the writer
 * fills `temporary`, then `commit()` renames it over `path`, or `abort()` removes it.
 */
export class AtomicFile {
  readonly temporary: string;

  constructor(readonly path: string) {
    this.temporary = temporaryPathFor(path);
  }

  /** Puts the finished temporary file in place: a reader of `path` sees the old file or this one. */
  async commit(): Promise<void> {
    await rename(this.temporary, this.path);
  }

  /** Removes the temporary file, after a failure; the file at `path` is untouched. */
  async abort(): Promise<void> {
    await rm(this.temporary, { force: true });
  }
}

/**
 * Writes a file whole or not at all: the data goes to a temporary file beside `path`,
 * which is then renamed over it, so a reader sees either the old file or the new one.
 * On failure the temporary file is removed and the original error is rethrown.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  if (options.mkdir) await mkdir(dirname(path), { recursive: true });
  const file = new AtomicFile(path);
  try {
    await writeFile(file.temporary, data);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** The synchronous form of {@link writeFileAtomic}. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  if (options.mkdir) mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryPathFor(path);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Builds a folder whole or not at all: `fill` writes into a temporary folder beside `path`,
 * which then takes its place. POSIX cannot swap two folders in one step, so an existing folder
 * is first renamed aside and removed only once the new one is in place: a crash in between
 * leaves the old folder under a hidden temporary name, never half a folder at `path`.
 * On failure the temporary folder is removed and the original error is rethrown.
 */
export async function writeFolderAtomic(path: string, fill: (folder: string) => Promise<void>): Promise<void> {
  const building = temporaryPathFor(path);
  await mkdir(building, { recursive: true });
  try {
    await fill(building);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw error;
  }
  const previous = temporaryPathFor(path);
  let movedAside = false;
  try {
    await rename(path, previous);
    movedAside = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      await rm(building, { recursive: true, force: true });
      throw error;
    }
  }
  try {
    await rename(building, path);
  } catch (error) {
    if (movedAside) await rename(previous, path);
    await rm(building, { recursive: true, force: true });
    throw error;
  }
  if (movedAside) await rm(previous, { recursive: true, force: true });
}
