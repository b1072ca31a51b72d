import { expect } from 'vitest';
import type { ShapedArray } from '../src/index.js';

export type Nested = number | Nested[];

export { loadGolden } from '@seqlearn/vitest-preset/golden';

export function shapeOf(x: Nested): number[] {
  const shape: number[] = [];
  let cur: Nested = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

export function flatten(x: Nested): number[] {
  return Array.isArray(x) ? x.flatMap((v) => flatten(v)) : [x];
}

/** A nested 2-D list as a row-major Float64 series (the golden inputs are float64). */
export function seriesOf(rows: number[][]): { values: Float64Array; shape: [number, number] } {
  return { values: Float64Array.from(rows.flat()), shape: [rows.length, rows[0].length] };
}

export function expectMatches(actual: ShapedArray, expected: Nested, what: string): void {
  expect(actual.shape, `${what}: shape`).toEqual(shapeOf(expected));
  const want = flatten(expected);
  expect(actual.values.length, `${what}: size`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(actual.values[i] - want[i]) > 1e-6) {
      throw new Error(`${what}: element ${i} is ${actual.values[i]}, expected ${want[i]}`);
    }
  }
}
