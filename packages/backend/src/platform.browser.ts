// The browser's side of "#platform" (see platform.node.ts): no files, no worker thread for
// the kernels, no environment. The cpu backend runs on the plain-JavaScript kernels.
import type * as fsp from 'node:fs/promises';
import type * as path from 'node:path';
import type * as threads from 'node:worker_threads';
import { BackendUnavailableError } from './errors.js';

function nodeOnly<F>(name: string): F {
  return ((): never => {
    throw new BackendUnavailableError(
      `${name} needs Node's file system, which this runtime (a browser) lacks; load models over http(s) instead`,
    );
  }) as F;
}

export const mkdir = nodeOnly<typeof fsp.mkdir>('mkdir');
export const readFile = nodeOnly<typeof fsp.readFile>('readFile');
export const stat = nodeOnly<typeof fsp.stat>('stat');
export const dirname = nodeOnly<typeof path.dirname>('dirname');
export const join = nodeOnly<typeof path.join>('join');
export const resolve = nodeOnly<typeof path.resolve>('resolve');
export const Worker = nodeOnly<typeof threads.Worker>('a worker thread');

export const isNode = false;

export const envVar = (_name: string): string | undefined => undefined;

export const readWasmKernels = (): Uint8Array | null => null;
