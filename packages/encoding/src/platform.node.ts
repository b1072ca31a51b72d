// The MD5 digest under the "node" condition of package.json's "#platform" import: Node's
// OpenSSL binding. platform.browser.ts gives the same bytes from @noble/hashes elsewhere.
import { createHash } from 'node:crypto';

/** The 16-byte MD5 digest of `bytes`. */
export function md5Digest(bytes: Uint8Array): Uint8Array {
  return createHash('md5').update(bytes).digest();
}
