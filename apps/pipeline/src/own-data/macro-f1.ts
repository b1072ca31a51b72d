/**
 * Macro-averaged F1 from a confusion matrix (rows true, columns predicted), as scikit-learn's
 * f1_score(average='macro'): the mean F1 over the classes that occur in the truth or the
 * predictions, a class with no true positive scoring 0. On imbalanced data it weighs every
 * class alike, where accuracy follows the large ones.
 */
export function macroF1(matrix: readonly (readonly number[])[]): number {
  const k = matrix.length;
  let sum = 0;
  let classes = 0;
  for (let c = 0; c < k; c++) {
    const tp = matrix[c][c];
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += matrix[c][j];
      predicted += matrix[j][c];
    }
    if (support === 0 && predicted === 0) continue;
    classes++;
    const denominator = support + predicted;
    sum += denominator === 0 ? 0 : (2 * tp) / denominator;
  }
  return classes === 0 ? 0 : sum / classes;
}
