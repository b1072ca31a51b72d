import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** tooling/bench */
export const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const peersDir = join(benchDir, 'peers');
/** Debian's python packages install for this interpreter, not for whatever `python3` is first on PATH. */
export const PYTHON = '/usr/bin/python3';

export interface TimeOptions {
  /** Timed runs (default 10). */
  runs?: number;
  /** Untimed runs first, to let the JIT and caches settle (default 2). */
  warmup?: number;
}

/** Milliseconds of each timed run of `fn` (awaited when it returns a promise). */
export async function timeIt(fn: () => unknown | Promise<unknown>, opts: TimeOptions = {}): Promise<number[]> {
  return (await measure(fn, opts)).wallMs;
}

export interface Measurement {
  /** Wall-clock milliseconds of each timed run. */
  wallMs: number[];
  /**
   * CPU milliseconds this process spent in each run (all its threads, user + system). On a
   * machine shared with other jobs it moves less than wall time does.
   */
  cpuMs: number[];
}

/** Like `timeIt`, with the CPU time of each run beside the wall time. */
export async function measure(fn: () => unknown | Promise<unknown>, { runs = 10, warmup = 2 }: TimeOptions = {}): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await fn();
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wallMs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
  }
  return { wallMs, cpuMs };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

export interface Comparison {
  bench: string;
  ours_ms: number;
  peer: string;
  peer_ms: number;
  [extra: string]: unknown;
}

/**
 * Prints one comparison as a JSON line: bench, ours_ms, peer, peer_ms, ratio (ours / peer),
 * then any extra fields. Returns the printed object.
 */
export function report({ bench, ours_ms, peer, peer_ms, ...extra }: Comparison): Record<string, unknown> {
  const line = { bench, ours_ms: round(ours_ms), peer, peer_ms: round(peer_ms), ratio: round(ours_ms / peer_ms), ...extra };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return line;
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the child (and its own children), in MB; undefined if unmeasurable. */
  peakRssMb?: number;
}

export interface ChildOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the child after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Measure peak RSS through getrusage(RUSAGE_CHILDREN) (default true). */
  measureMemory?: boolean;
}

const RSS_MARKER = '__seqlearn_peak_rss_kb__=';

// Node cannot see a child's rusage; this wrapper waits for the command and reports
// ru_maxrss of its children (kilobytes on Linux) on stderr's last line.
const RUSAGE_WRAPPER = [
  'import resource, subprocess, sys',
  'code = subprocess.call(sys.argv[1:])',
  `sys.stderr.write("\\n${RSS_MARKER}%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)`,
  'sys.exit(code)',
].join('\n');

/** Runs a command to completion, collecting its output and, on Linux, its peak memory. */
export function runChild(command: string, args: readonly string[], opts: ChildOptions = {}): Promise<ChildResult> {
  const measure = (opts.measureMemory ?? true) && process.platform === 'linux' && existsSync(PYTHON);
  const [cmd, argv] = measure ? [PYTHON, ['-c', RUSAGE_WRAPPER, command, ...args]] : [command, [...args]];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, argv, {
      cwd: opts.cwd ?? benchDir,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // The child leads its own process group, so a timeout also stops what it started.
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, opts.timeoutMs ?? 600_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      let stderr = Buffer.concat(err).toString('utf8');
      let peakRssMb: number | undefined;
      const at = stderr.lastIndexOf(`\n${RSS_MARKER}`);
      if (measure && at >= 0) {
        peakRssMb = Number(stderr.slice(at + 1 + RSS_MARKER.length).trim()) / 1024;
        stderr = stderr.slice(0, at);
      }
      resolvePromise({ code, stdout: Buffer.concat(out).toString('utf8'), stderr, peakRssMb });
    });
  });
}

/** Peak resident set size of this process so far, in MB. */
export function selfPeakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export interface PythonResult<T> {
  result: T;
  peakRssMb?: number;
}

/**
 * Runs `tooling/bench/peers/<script>` on /usr/bin/python3 and returns the JSON of its last
 * stdout line, with the peak memory of the run. Fails with the peer's stderr when it exits
 * non-zero or prints no JSON.
 */
export async function runPythonWithMemory<T = unknown>(
  script: string,
  args: readonly string[] = [],
  opts: ChildOptions = {},
): Promise<PythonResult<T>> {
  const path = isAbsolute(script) ? script : join(peersDir, script);
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: run tooling/bench/setup-peers.sh`);
  if (!existsSync(path)) throw new Error(`peer script ${path} not found`);
  const r = await runChild(PYTHON, [path, ...args], opts);
  if (r.code !== 0) {
    throw new Error(
      `${script} exited with ${r.code}:\n${r.stderr.trim().split('\n').slice(-15).join('\n')}\n(peers missing? run tooling/bench/setup-peers.sh)`,
    );
  }
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return { result: JSON.parse(last) as T, peakRssMb: r.peakRssMb };
  } catch {
    throw new Error(`${script} printed no JSON on its last stdout line; got: ${last.slice(0, 200)}`);
  }
}

/** `runPythonWithMemory` without the memory: the parsed JSON of the peer's last stdout line. */
export async function runPython<T = unknown>(script: string, args: readonly string[] = [], opts: ChildOptions = {}): Promise<T> {
  return (await runPythonWithMemory<T>(script, args, opts)).result;
}

/** The short hash of HEAD, so that a printed result names the code it measured. */
export function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
