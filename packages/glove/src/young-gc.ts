/**
 * Keeps V8's young-generation GC running while a reader streams through fresh Buffers.
 *
 * Every decompressed chunk is a new Buffer (node:zlib allocates its output, and no public
 * API lets a caller supply it), dead as soon as it has been parsed. V8 frees dead Buffers
 * at a scavenge, but schedules scavenges by the JavaScript heap it allocates, and only
 * otherwise after 32 MiB of dead Buffers have piled up: a reader that allocates almost no
 * heap of its own (as the text parser does) then holds up to 32 MiB of garbage on top of
 * the 38 MiB of floats of glove.6B.100d.top100k. A few short-lived objects per chunk (one
 * per 32 bytes) make scavenges come every few MiB instead; each is cheap, since almost
 * nothing in the young generation is alive (measured on that file: peak resident memory
 * over the floats ~1.7-1.9x without, ~1.3-1.45x with).
 */
let nursery: unknown[] = [];

/** Call once per chunk of `bytes` bytes. */
export function nudgeYoungGc(bytes: number): void {
  const cells: unknown[] = [];
  for (let left = bytes >> 5; left > 0; left--) cells.push({ left });
  nursery = cells;
}

/** What the last nudge allocated (for tests). */
export function nurseryLength(): number {
  return nursery.length;
}
