// What this package needs from Node: files (the file:// model IO, the compiled WebAssembly
// kernels), a worker thread, the environment. package.json's "#platform" import picks this
// module under the "node" condition and platform.browser.ts elsewhere.
import { readFileSync } from 'node:fs';

export { mkdir, readFile, stat } from 'node:fs/promises';
export { dirname, join, resolve } from 'node:path';
export { Worker } from 'node:worker_threads';

/** True under Node: tfjs-node and the file system may be there. */
export const isNode = true;

export const envVar = (name: string): string | undefined => process.env[name];

/** The bytes of wasm/kernels.wasm (made by `pnpm build`), or null when it was not built. */
export function readWasmKernels(): Uint8Array | null {
  try {
    return readFileSync(new URL('../wasm/kernels.wasm', import.meta.url));
  } catch {
    return null;
  }
}
