import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a user has: no data dir unless a test sets one, the pure-JS backend. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SEQLEARN_BACKEND: 'cpu' };
  delete env.SEQLEARN_DATA_DIR;
  delete env.SEQLEARN_DEBUG;
  return { ...env, ...extra };
}

/** Starts `seqlearn <args>` the way a user runs it from a checkout (TypeScript source, no build). */
export function startCli(
  args: string[],
  extraEnv: Record<string, string> = {},
): { child: ChildProcess; done: Promise<CliResult>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@seqlearn/source', join(appDir, 'src', 'cli.ts'), ...args], {
    cwd: appDir,
    env: userEnv(extraEnv),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolvePromise) => child.on('close', (code) => resolvePromise({ code, stdout, stderr })));
  return { child, done, output: () => stdout + stderr };
}

export function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, extraEnv).done;
}

/** A stack trace line, which a user must never see. */
export const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at file:/m;
