import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InterruptedError, UserError } from './errors.js';
import { during } from './interrupt.js';

const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Checks that a run folder can be used before anything is read or trained: an existing folder
 * we can write in, or a path under one. Nothing is created; a problem is one line naming the path.
 */
export function checkRunDir(dir: string, flag = '--out'): void {
  let existing = dir;
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (!statSync(existing).isDirectory()) {
    throw new UserError(
      existing === dir
        ? `${flag} ${dir} is a file, not a folder; give the path of a folder for the run`
        : `${flag} ${dir} cannot be made: ${existing} is a file, not a folder`,
    );
  }
  // Access bits do not tell (root, read-only mounts): try to make and remove a folder there.
  const probe = join(existing, `.seqlearn-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (NOT_WRITABLE.has(code))
      throw new UserError(`${flag} ${dir} is not writable (${code} in ${existing}); choose a folder you can write to`);
    throw new UserError(`${flag} ${dir} cannot be used (${(e as Error).message})`);
  }
}

/** True when `dir` holds no file at all (empty folders only). */
function holdsNoFile(dir: string): boolean {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).every((e) => !e.isFile());
}

/**
 * Runs `step` for a run folder that may not exist yet. If the step fails (or is interrupted)
 * before the folder holds a file, the folder it created is removed: a failed run leaves no
 * empty run folder behind. A Ctrl-C during training keeps its checkpoint.
 */
export async function inRunDir<T>(dir: string, what: string, step: () => Promise<T>): Promise<T> {
  checkRunDir(dir);
  const fresh = !existsSync(dir);
  const removeIfEmpty = () => {
    if (fresh && existsSync(dir) && holdsNoFile(dir)) rmSync(dir, { recursive: true, force: true });
  };
  try {
    return await during(what, step, removeIfEmpty);
  } catch (error) {
    if (!(error instanceof InterruptedError)) removeIfEmpty();
    throw error;
  }
}
