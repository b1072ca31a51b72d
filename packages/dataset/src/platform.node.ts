// What this package needs from Node: files, the process id and home folder, random bytes for
// temporary names. package.json's "#platform" import picks this module under the "node"
// condition and platform.browser.ts elsewhere, so the rest of the package runs in a browser.
export { randomBytes } from 'node:crypto';
export { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
export { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
export { homedir } from 'node:os';
export { basename, dirname, isAbsolute, join, resolve } from 'node:path';

/** The running process's id and environment. */
export const processId = (): number => process.pid;
export const processEnv = (): Record<string, string | undefined> => process.env;
