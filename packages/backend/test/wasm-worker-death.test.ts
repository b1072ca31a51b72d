import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wasmBuild } from '../src/kernels/wasm-kernels.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs the fixture in a child process, killed after `ms`: a hang is a failure, not a stuck test run. */
function runFixture(mode: string, ms: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@seqlearn/source', join(here, 'fixtures', 'worker-death.ts'), mode],
    {
      cwd: join(here, '..'),
      env: { ...process.env, SEQLEARN_THREADS: '' },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

describe.skipIf(wasmBuild === null)('a WebAssembly kernel worker that dies', () => {
  it('in the middle of a job fails that job with WasmWorkerError, and later work runs on the calling thread', async () => {
    const r = await runFixture('mid-job', 60_000);
    expect(r.signal, `the caller hung (killed after 60 s)\n${r.stderr}`).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(out.threadsBefore).toBe(2);
    expect(out.error).toMatchObject({ isWasmWorkerError: true, code: 'BACKEND_WORKER_DIED' });
    expect((out.error as { message: string }).message).toMatch(/worker thread died in the middle of a job/);
    expect(out.threadsAfter).toBe(1);
    expect(out.sameAsOneThread).toBe(true);
  }, 90_000);

  it('between jobs is noticed, and the next job runs on the calling thread instead of waiting for it', async () => {
    const r = await runFixture('between-jobs', 60_000);
    expect(r.signal, `the caller hung (killed after 60 s)\n${r.stderr}`).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(out).toMatchObject({ threadsBefore: 2, threadsAfter: 1, sameAsOneThread: true });
  }, 90_000);
});
