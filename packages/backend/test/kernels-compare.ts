import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { useProjectKernels, useStockKernels } from '../src/index.js';

/** Runs f once with tfjs's own kernels and once with the project's, returning both results. */
export function stockAndOurs<T extends tf.Tensor | tf.Tensor[]>(f: () => T): { stock: T; ours: T } {
  useStockKernels();
  const stock = f();
  useProjectKernels();
  const ours = f();
  return { stock, ours };
}

export function expectClose(ours: tf.Tensor, stock: tf.Tensor, tol: number, what = ''): void {
  expect(ours.shape, what).toEqual(stock.shape);
  const a = ours.dataSync();
  const b = stock.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(1, Math.abs(b[i]));
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
  }
  expect(worst, what).toBeLessThan(tol);
}

export function randomTensor(rand: () => number, shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => rand() * 2 - 1),
    shape,
  );
}
