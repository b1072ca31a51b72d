// What this package needs from Node: the bundle folder's files and csvLogger's file. package.json's "#platform"
// import picks this module under the "node" condition and platform.browser.ts elsewhere.
export { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
export { dirname, join, resolve } from 'node:path';
export { fileURLToPath } from 'node:url';

/** True under Node: a bundle given as a plain path is a folder. */
export const isNode = true;
