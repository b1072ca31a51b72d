import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, projectKernelNames, unsortedSegmentSumCpu, type BackendInfo } from '../src/index.js';
import { tfjsNodeLoads } from './tfjs-node-probe.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let nodeLoads: boolean;

beforeAll(async () => {
  nodeLoads = await tfjsNodeLoads();
});

/** Runs a snippet in a fresh Node process (initBackend decides once per process). */
function runFresh(code: string, env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@seqlearn/source', '--input-type=module', '-e', code], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SRC = JSON.stringify(join(packageDir, 'src', 'index.ts'));

describe('initBackend', () => {
  it('uses tfjs-node when it loads and otherwise falls back to cpu, saying why', async () => {
    const seen: BackendInfo[] = [];
    const info = await initBackend({ onChoice: (i) => seen.push(i) });
    expect(seen).toEqual([info]);
    expect(info.native).toBe(nodeLoads);
    expect(info.name).toBe(nodeLoads ? 'tensorflow' : 'cpu');
    expect(info.tf.getBackend()).toBe(info.name);
    expect(info.decidedBy).toBe(process.env.SEQLEARN_BACKEND ? 'env' : 'auto');
    if (!nodeLoads) expect(info.fallbackReason).toMatch(/tfjs-node/);
  });

  it('registers the project kernels for cpu and is idempotent', async () => {
    const first = await initBackend();
    const second = await initBackend();
    expect(second).toBe(first);
    expect(first.projectKernels).toEqual(projectKernelNames());
    expect(first.projectKernels).toContain(tf.UnsortedSegmentSum);
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'cpu').kernelFunc).toBe(unsortedSegmentSumCpu);
  });

  it('refuses to switch backend once chosen', async () => {
    const info = await initBackend();
    await expect(initBackend({ backend: info.native ? 'cpu' : 'node' })).rejects.toMatchObject({ code: 'BACKEND_OPTION' });
  });
});

describe('initBackend in a fresh process', () => {
  it('silences the "install tfjs-node" banner that plain tfjs prints', () => {
    const plain = runFresh(`import * as tf from '@tensorflow/tfjs'; await tf.setBackend('cpu'); tf.tensor([1, 2]).dataSync();`);
    expect(plain.status).toBe(0);
    // The control: without initBackend the banner is there, so its absence below means something.
    expect(plain.stderr + plain.stdout).toMatch(/install our node\s+backend/);

    const ours = runFresh(
      `import { initBackend } from ${SRC}; const { tf } = await initBackend({ backend: 'cpu' }); tf.tensor([1, 2]).dataSync(); console.log(tf.getBackend());`,
    );
    expect(ours.status).toBe(0);
    expect(ours.stdout.trim()).toBe('cpu');
    expect(ours.stderr).not.toMatch(/tfjs-node|install our node/);
  });

  it('SEQLEARN_BACKEND=cpu forces cpu', () => {
    const r = runFresh(
      `import { initBackend } from ${SRC}; const i = await initBackend(); console.log(JSON.stringify({ name: i.name, native: i.native, decidedBy: i.decidedBy }));`,
      { SEQLEARN_BACKEND: 'cpu' },
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ name: 'cpu', native: false, decidedBy: 'env' });
  });

  it('SEQLEARN_BACKEND=node gives a typed error saying why when tfjs-node cannot load', () => {
    const r = runFresh(
      `import { initBackend } from ${SRC};
       try { const i = await initBackend(); console.log(JSON.stringify({ name: i.name })); }
       catch (e) { console.log(JSON.stringify({ error: e.name, code: e.code, message: e.message })); }`,
      { SEQLEARN_BACKEND: 'node' },
    );
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
    if (nodeLoads) {
      expect(out).toEqual({ name: 'tensorflow' });
    } else {
      expect(out.error).toBe('BackendUnavailableError');
      expect(out.code).toBe('BACKEND_UNAVAILABLE');
      expect(out.message).toMatch(/SEQLEARN_BACKEND=node.*@tensorflow\/tfjs-node did not load/s);
    }
  });

  it('rejects an unknown SEQLEARN_BACKEND value', () => {
    const r = runFresh(
      `import { initBackend } from ${SRC};
       try { await initBackend(); console.log('{}'); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`,
      { SEQLEARN_BACKEND: 'gpu' },
    );
    const out = JSON.parse(r.stdout.trim());
    expect(out.code).toBe('BACKEND_OPTION');
    expect(out.message).toMatch(/SEQLEARN_BACKEND="gpu".*"node", "cpu"/);
  });
});
