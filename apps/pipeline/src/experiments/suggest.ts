import { EXPERIMENTS } from './catalog.js';

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** Experiment ids close to what was typed: small edit distance, or sharing its words. */
export function closeExperiments(typed: string, max = 3): string[] {
  const words = typed
    .toLowerCase()
    .split(/[-_\s]+/)
    .filter((w) => w.length > 1);
  return EXPERIMENTS.map((e) => {
    const distance = editDistance(typed.toLowerCase(), e.id);
    const shared = words.filter((w) => e.id.includes(w)).length;
    return { id: e.id, score: distance - 4 * shared };
  })
    .filter((s) => s.score <= Math.max(3, typed.length / 2))
    .sort((a, b) => a.score - b.score)
    .slice(0, max)
    .map((s) => s.id);
}
