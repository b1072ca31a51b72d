// What this package needs from Node: CommonJS require (for the optional natural package) and
// Buffer's fast UTF-8 slicing. package.json's "#platform" import picks this module under the
// "node" condition and platform.browser.ts elsewhere.
import { createRequire } from 'node:module';

/** Requires a CommonJS module by name, resolved from this package. */
export const requireModule: (specifier: string) => unknown = createRequire(import.meta.url);

/** Decodes `bytes[start, end)` as UTF-8 without copying them first. */
export function utf8Slicer(bytes: Uint8Array): (start: number, end: number) => string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (start, end) => buffer.toString('utf8', start, end);
}
