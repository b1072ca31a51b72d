// The browser's side of "#platform" (see platform.node.ts): bundles come over fetch, never
// from a folder, so the file functions only say so.
import type * as fsp from 'node:fs/promises';
import type * as path from 'node:path';
import type * as url from 'node:url';
import { UnavailableError } from '@seqlearn/dataset';

function nodeOnly<F>(name: string): F {
  return ((): never => {
    throw new UnavailableError(
      `${name} needs Node's file system, which this runtime (a browser) lacks; load bundles by URL (loadBundle(url) fetches them)`,
      {
        code: 'ERR_NODE_ONLY',
      },
    );
  }) as F;
}

export const appendFile = nodeOnly<typeof fsp.appendFile>('appendFile');
export const mkdir = nodeOnly<typeof fsp.mkdir>('mkdir');
export const readFile = nodeOnly<typeof fsp.readFile>('readFile');
export const stat = nodeOnly<typeof fsp.stat>('stat');
export const writeFile = nodeOnly<typeof fsp.writeFile>('writeFile');
export const dirname = nodeOnly<typeof path.dirname>('dirname');
export const join = nodeOnly<typeof path.join>('join');
export const resolve = nodeOnly<typeof path.resolve>('resolve');
export const fileURLToPath = nodeOnly<typeof url.fileURLToPath>('fileURLToPath');

export const isNode = false;
