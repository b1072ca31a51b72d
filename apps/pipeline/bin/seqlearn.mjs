#!/usr/bin/env node
// The `seqlearn` command. In a checkout it runs the TypeScript sources through tsx with the
// workspace's source export condition, so `npx seqlearn …` works right after `pnpm install`
// and never runs a stale build; elsewhere it runs the compiled CLI in dist/.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(appDir, 'src', 'cli.ts');

function tsxLoader() {
  try {
    const manifest = createRequire(join(appDir, 'package.json')).resolve('tsx/package.json');
    return pathToFileURL(join(dirname(manifest), 'dist', 'loader.mjs')).href;
  } catch {
    return undefined;
  }
}

const loader = existsSync(source) ? tsxLoader() : undefined;
const entry = loader === undefined ? [join(appDir, 'dist', 'cli.js')] : ['--import', loader, '--conditions=@seqlearn/source', source];
// glibc hands large blocks back to the system on free(), so every training step page-faults its
// tensors in again (slow on virtual machines). The CLI keeps freed memory instead, with the
// settings packages/backend/README.md recommends: glibc reads them only at start-up, hence here,
// for the child. A variable the user set wins; SEQLEARN_MALLOC=default leaves all three unset.
const MALLOC_ENV = { MALLOC_MMAP_MAX_: '0', MALLOC_TRIM_THRESHOLD_: String(4 * 1024 ** 3), MALLOC_TOP_PAD_: String(256 * 1024 ** 2) };
const env = process.env.SEQLEARN_MALLOC === 'default' || process.platform !== 'linux' ? process.env : { ...MALLOC_ENV, ...process.env };
const child = spawn(process.execPath, [...entry, ...process.argv.slice(2)], { stdio: 'inherit', env });

// Ctrl-C reaches the CLI through the terminal's process group; it checkpoints and exits 130 by
// itself, and a second SIGINT from here would make it quit without its message. Other signals
// come only to this process, so they are passed on.
process.on('SIGINT', () => undefined);
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
