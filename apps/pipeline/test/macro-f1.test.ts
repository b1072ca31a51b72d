import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRng } from '@seqlearn/dataset';
import { describe, expect, it } from 'vitest';
import { macroF1 } from '../src/own-data/macro-f1.js';

const PYTHON = '/usr/bin/python3';

/** scikit-learn's f1_score(average='macro') on the labels, or undefined without Python and scikit-learn. */
function sklearnMacroF1(truth: number[], predicted: number[]): number | undefined {
  if (!existsSync(PYTHON)) return undefined;
  const script =
    'import json,sys\nfrom sklearn.metrics import f1_score\na=json.loads(sys.stdin.read())\nprint(f1_score(a[0],a[1],average="macro",zero_division=0))';
  try {
    return Number(
      execFileSync(PYTHON, ['-c', script], { input: JSON.stringify([truth, predicted]), stdio: ['pipe', 'pipe', 'ignore'] }).toString(),
    );
  } catch {
    return undefined;
  }
}

// Six classes, one never predicted, one never true, one absent from both (it must not count).
const rng = createRng(11);
const truth = Array.from({ length: 300 }, () => [0, 0, 0, 1, 2, 3, 4][rng.nextInt(7)]);
const predicted = truth.map((t) => (rng.next() < 0.6 ? (t === 4 ? 0 : t) : [0, 1, 2, 5][rng.nextInt(4)]));
const reference = sklearnMacroF1(truth, predicted);

describe('macroF1', () => {
  it.skipIf(reference === undefined)(
    "equals scikit-learn's f1_score(average='macro') (skipped without /usr/bin/python3 and scikit-learn)",
    () => {
      const k = 7;
      const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
      truth.forEach((t, i) => matrix[t][predicted[i]]++);
      expect(macroF1(matrix)).toBeCloseTo(reference!, 12);
    },
  );
});
