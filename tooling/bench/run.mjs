#!/usr/bin/env node
// Runs one benchmark: node tooling/bench/run.mjs <name> [args...]
// The bench file is TypeScript, run by tsx; workspace packages resolve to their source
// through the @seqlearn/source export condition, so nothing needs building first.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const benchesDir = join(benchDir, 'benches');
const available = readdirSync(benchesDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...rest] = process.argv.slice(2);
const listing = `available benchmarks:\n${available.map((b) => `  ${b}`).join('\n')}\nusage: pnpm bench <name>   (node tooling/bench/run.mjs <name>)`;

if (name === undefined || name === '--list' || name === '-h' || name === '--help') {
  console.log(listing);
  process.exit(0);
}
const file = join(benchesDir, `${name}.ts`);
if (!available.includes(name) || !existsSync(file)) {
  console.error(`unknown benchmark "${name}"\n${listing}`);
  process.exit(2);
}

// glibc serves large allocations with fresh mmap()s and returns them on free, so a training
// step that allocates tens of MB of tensors first-touches every page of them again each step.
// On virtual machines a page fault costs microseconds (about 12 µs here: 40 ms for 8 MB),
// which distorts both sides, PyTorch's more than ours (its one-thread conv1dText step: 713 ms
// against 127 ms). So the benchmark and its peers (which inherit the environment) run with glibc's
// mmap disabled and freed memory kept; BENCH_MALLOC=default measures the unmodified setting.
const mallocEnv =
  process.env['BENCH_MALLOC'] === 'default'
    ? {}
    : {
        MALLOC_MMAP_MAX_: '0',
        MALLOC_TRIM_THRESHOLD_: String(4 * 1024 ** 3),
        MALLOC_TOP_PAD_: String(256 * 1024 ** 2),
      };
const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@seqlearn/source', file, ...rest], {
  cwd: benchDir,
  stdio: 'inherit',
  env: { ...process.env, ...mallocEnv },
});
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  process.exit(code ?? 1);
});
