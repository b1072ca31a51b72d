import { existsSync, readdirSync, rmSync } from 'node:fs';

/**
 * Ctrl-C (SIGINT) or SIGTERM outside training: one line saying what was interrupted, the
 * unfinished files of that step removed, exit 130 or 143 as shells expect. Training has its
 * own SIGINT handler (it checkpoints and stops at the next batch); while it listens, this one
 * leaves SIGINT to it.
 */
let activity = 'starting';
const cleanups = new Set<() => void>();

/** Runs `step`, described by `what` in an interrupt message; `cleanup` removes its unfinished files if it is interrupted. */
export async function during<T>(what: string, step: () => Promise<T>, cleanup?: () => void): Promise<T> {
  const before = activity;
  activity = what;
  if (cleanup) cleanups.add(cleanup);
  try {
    return await step();
  } finally {
    activity = before;
    if (cleanup) cleanups.delete(cleanup);
  }
}

/** Says what a process is doing between steps (loading data, training). */
export function setActivity(what: string): void {
  activity = what;
}

/** Removes the temporary files an atomic write of `file` (in `dir`) may have left: `.<file>.<pid>.<random>.tmp`. */
export function removeTempFiles(dir: string, file: string): void {
  if (!existsSync(dir)) return;
  const prefix = `.${file}.${process.pid}.`;
  for (const name of readdirSync(dir))
    if ((name.startsWith(prefix) && name.endsWith('.tmp')) || name === `${file}.tmp`) rmSync(`${dir}/${name}`, { force: true });
}

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export function installInterruptHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (process.listenerCount(signal) > 1) return;
      let removed = 0;
      // The innermost step first: a stage's files go before its run folder is looked at.
      for (const cleanup of [...cleanups].reverse()) {
        try {
          cleanup();
          removed++;
        } catch {
          // Nothing more can be done on the way out; the stage cache rebuilds what it cannot verify.
        }
      }
      const what = signal === 'SIGINT' ? 'interrupted' : 'terminated';
      process.stderr.write(`seqlearn: ${what} (${signal}) while ${activity}${removed > 0 ? '; nothing half-written is left' : ''}\n`, () =>
        process.exit(EXIT_CODES[signal]),
      );
    });
  }
}
