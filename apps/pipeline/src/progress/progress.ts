import cliProgress from 'cli-progress';

/**
 * Turns the packages' progress callbacks into what a person watches: bars with an ETA
 * on a terminal, plain lines (at most one every few seconds per task) otherwise.
 */
export interface ProgressTask {
  update(done: number, info?: string): void;
  /** Ends the task with a closing line ("done in …"). */
  finish(info?: string): void;
  /** Ends the task without a line, for work whose caller prints its own summary. */
  close(): void;
}

export interface Progress {
  log(line: string): void;
  task(label: string, total: number, unit?: string): ProgressTask;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return { log: () => undefined, task: () => ({ update: () => undefined, finish: () => undefined, close: () => undefined }) };
  return stream.isTTY ? terminalProgress(stream) : plainProgress(stream);
}

function terminalProgress(stream: NodeJS.WriteStream): Progress {
  return {
    log: (line) => stream.write(`${line}\n`),
    task(label, total, unit = '') {
      const started = Date.now();
      // The bar clears itself when it stops; a finished task leaves one plain closing line.
      const bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.padEnd(24)} {bar} {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted} | {info}`,
          hideCursor: true,
          etaBuffer: 50,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0, { info: '' });
      return {
        update: (done, info = '') => bar.update(done, { info }),
        finish: (info = '') => {
          bar.stop();
          stream.write(`${label}: ${total} ${unit} done in ${((Date.now() - started) / 1000).toFixed(1)}s${info ? ` ${info}` : ''}\n`);
        },
        close: () => bar.stop(),
      };
    },
  };
}

function plainProgress(stream: NodeJS.WriteStream, intervalMs = 5_000): Progress {
  return {
    log: (line) => stream.write(`${line}\n`),
    task(label, total, unit = '') {
      const started = Date.now();
      // The first line waits a full interval: short tasks print only their closing line.
      let lastPrinted = started;
      const line = (done: number, info: string) => {
        const elapsed = (Date.now() - started) / 1000;
        const eta = done > 0 && total > done ? ` eta ${Math.round((elapsed / done) * (total - done))}s` : '';
        stream.write(`${label}: ${done}/${total} ${unit}${eta}${info ? ` ${info}` : ''}\n`);
      };
      return {
        update(done, info = '') {
          const now = Date.now();
          if (now - lastPrinted >= intervalMs) {
            lastPrinted = now;
            line(done, info);
          }
        },
        finish: (info = '') => line(total, `done in ${((Date.now() - started) / 1000).toFixed(1)}s${info ? ` ${info}` : ''}`),
        close: () => undefined,
      };
    },
  };
}
