// What this package needs from Node: the bundle folder's files. package.json's "#platform"
// import picks this module under the "node" condition and platform.browser.ts elsewhere.
export { readFile, stat, writeFile } from 'node:fs/promises';
export { join, resolve } from 'node:path';
export { fileURLToPath } from 'node:url';

/** True under Node: a bundle given as a plain path is a folder. */
export const isNode = true;
