// The browser's side of "#platform" (see platform.node.ts): no file system, no process. Each
// function throws an UnavailableError naming what needs Node; everything else in the package
// (tables, schemas, splits, batches, Arrow IPC from bytes) works without them.
import type * as fs from 'node:fs';
import type * as fsp from 'node:fs/promises';
import type * as path from 'node:path';
import { UnavailableError } from './errors.js';

function nodeOnly<F>(name: string): F {
  return ((): never => {
    throw new UnavailableError(
      `${name} needs Node's file system, which this runtime (a browser) lacks; read files with fetch and pass their bytes or text instead`,
      {
        code: 'ERR_NODE_ONLY',
      },
    );
  }) as F;
}

export const randomBytes = nodeOnly<(size: number) => { toString(encoding: 'hex'): string }>('randomBytes');
export const mkdirSync = nodeOnly<typeof fs.mkdirSync>('mkdirSync');
export const readFileSync = nodeOnly<typeof fs.readFileSync>('readFileSync');
export const renameSync = nodeOnly<typeof fs.renameSync>('renameSync');
export const rmSync = nodeOnly<typeof fs.rmSync>('rmSync');
export const writeFileSync = nodeOnly<typeof fs.writeFileSync>('writeFileSync');
export const mkdir = nodeOnly<typeof fsp.mkdir>('mkdir');
export const readFile = nodeOnly<typeof fsp.readFile>('readFile');
export const rename = nodeOnly<typeof fsp.rename>('rename');
export const rm = nodeOnly<typeof fsp.rm>('rm');
export const writeFile = nodeOnly<typeof fsp.writeFile>('writeFile');
export const homedir = nodeOnly<() => string>('homedir');
export const basename = nodeOnly<typeof path.basename>('basename');
export const dirname = nodeOnly<typeof path.dirname>('dirname');
export const isAbsolute = nodeOnly<typeof path.isAbsolute>('isAbsolute');
export const join = nodeOnly<typeof path.join>('join');
export const resolve = nodeOnly<typeof path.resolve>('resolve');
export const processId = nodeOnly<() => number>('process.pid');
export const processEnv = (): Record<string, string | undefined> => ({});
