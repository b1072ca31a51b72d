// The MD5 digest where node:crypto is absent (see platform.node.ts): @noble/hashes, audited
// and dependency-free; Web Crypto has no MD5.
import { md5 } from '@noble/hashes/legacy';

/** The 16-byte MD5 digest of `bytes`. */
export function md5Digest(bytes: Uint8Array): Uint8Array {
  return md5(bytes);
}
