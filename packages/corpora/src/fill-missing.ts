/** What to do with a missing cell (`NA`, empty) or an error sentinel such as Jena's -9999. */
export type MissingPolicy = 'drop' | 'ffill' | 'interpolate' | 'nan' | 'zero' | 'keep';

/**
 * Fills the target cells of one column in place.
 * - `ffill`: the last valid value before; leading targets take the first valid value.
 * - `interpolate`: linear in time between the valid neighbours; leading/trailing targets take
 *   the nearest valid value (no extrapolation).
 * - `nan` / `zero`: NaN / 0. `keep`: untouched. `drop` is handled by removing rows, not here.
 * Returns false when the column has no valid value to fill from.
 */
export function fillColumn(
  values: Float64Array,
  time: Float64Array,
  isTarget: (row: number) => boolean,
  isValid: (row: number) => boolean,
  policy: Exclude<MissingPolicy, 'drop'>,
): boolean {
  const n = values.length;
  if (policy === 'keep') return true;
  if (policy === 'nan' || policy === 'zero') {
    const fill = policy === 'nan' ? Number.NaN : 0;
    for (let i = 0; i < n; i++) if (isTarget(i)) values[i] = fill;
    return true;
  }
  let first = -1;
  for (let i = 0; i < n; i++)
    if (isValid(i)) {
      first = i;
      break;
    }
  if (first === -1) {
    for (let i = 0; i < n; i++) if (isTarget(i)) return false;
    return true;
  }
  let previous = -1;
  // The next valid row after a run of targets, found once per run rather than once per target.
  let next = -1;
  for (let i = 0; i < n; i++) {
    if (isValid(i)) {
      previous = i;
      continue;
    }
    if (!isTarget(i)) continue;
    if (previous === -1) {
      values[i] = values[first];
    } else if (policy === 'ffill') {
      values[i] = values[previous];
    } else {
      if (next <= i) {
        next = i + 1;
        while (next < n && !isValid(next)) next++;
      }
      if (next === n) {
        values[i] = values[previous];
      } else {
        const span = time[next] - time[previous];
        const w = span > 0 ? (time[i] - time[previous]) / span : (i - previous) / (next - previous);
        values[i] = values[previous] + w * (values[next] - values[previous]);
      }
    }
  }
  return true;
}
