/** A seeded source of randomness: every random choice in seqlearn takes one. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** The stream's position, to save with a training checkpoint. */
  getState(): number;
  /** Puts the stream back at a position `getState` returned: the same draws follow. */
  setState(state: number): void;
}

/**
 * mulberry32: a small, fast 32-bit generator with a full 2^32 period. Plenty for
 * shuffles and dropout masks, and the same seed gives the same stream on every platform.
 */
export function createRng(seed: number): Rng {
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    nextInt: (n: number) => Math.floor(next() * n),
    getState: () => state,
    setState: (s: number) => {
      state = s >>> 0;
    },
  };
}

/** A seeded Fisher–Yates permutation of `0 … n-1`. */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = indices[i];
    indices[i] = indices[j];
    indices[j] = t;
  }
  return indices;
}
