import cliProgress from 'cli-progress';

/**
 * Turns the packages' progress callbacks into what a person watches: bars with an ETA
 * on a terminal, plain lines (at most one every few seconds per task) otherwise.
 */
export interface ProgressTask {
  update(done: number, info?: string): void;
  finish(info?: string): void;
}

export interface Progress {
  log(line: string): void;
  task(label: string, total: number, unit?: string): ProgressTask;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet) return { log: () => undefined, task: () => ({ update: () => undefined, finish: () => undefined }) };
  return stream.isTTY ? terminalProgress(stream) : plainProgress(stream);
}

function terminalProgress(stream: NodeJS.WriteStream): Progress {
  return {
    log: (line) => stream.write(`${line}\n`),
    task(label, total, unit = '') {
      const bar = new cliProgress.SingleBar(
        { stream, format: `${label.padEnd(24)} {bar} {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted} | {info}`, hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0, { info: '' });
      return {
        update: (done, info = '') => bar.update(done, { info }),
        finish: (info = '') => {
          bar.update(Math.max(total, 1), { info });
          bar.stop();
        },
      };
    },
  };
}

function plainProgress(stream: NodeJS.WriteStream, intervalMs = 5_000): Progress {
  return {
    log: (line) => stream.write(`${line}\n`),
    task(label, total, unit = '') {
      const started = Date.now();
      let lastPrinted = 0;
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
      };
    },
  };
}
