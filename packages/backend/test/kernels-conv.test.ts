import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, useWasmKernels, useWasmThreads } from '../src/index.js';
import { expectClose, randomTensor, stockAndOurs } from './kernels-compare.js';
import { randomInt, seededRandom } from './seeded-random.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// Every case runs three times: the products in WebAssembly with the images split over two
// threads, in WebAssembly on one thread, then in JavaScript.
describe.each([
  { wasm: true, threads: true },
  { wasm: true, threads: false },
  { wasm: false, threads: false },
])('Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput against the stock kernels (%o)', ({ wasm, threads }) => {
  beforeAll(() => {
    expect(useWasmKernels(wasm)).toBe(wasm);
    expect(useWasmThreads(threads)).toBe(threads);
    return () => {
      useWasmKernels(true);
      useWasmThreads(true);
    };
  });

  it('random shapes, strides, padding and dilations: output and both gradients', () => {
    const rand = seededRandom(7);
    for (let trial = 0; trial < 40; trial++) {
      const batch = randomInt(rand, 1, 4);
      const h = randomInt(rand, 1, 6);
      const w = randomInt(rand, 3, 13);
      const cin = randomInt(rand, 1, 6);
      const cout = randomInt(rand, 1, 5);
      const fh = randomInt(rand, 1, Math.min(h, 3) + 1);
      const fw = randomInt(rand, 1, Math.min(w, 4) + 1);
      const dilated = trial % 5 === 4;
      const stride: [number, number] = dilated ? [1, 1] : [randomInt(rand, 1, 3), randomInt(rand, 1, 3)];
      const dilation: [number, number] = dilated ? [1, 2] : [1, 1];
      if (dilated && (fw - 1) * 2 + 1 > w) continue;
      const pad = trial % 2 === 0 ? 'valid' : 'same';
      const x = randomTensor(rand, [batch, h, w, cin]) as tf.Tensor4D;
      const filter = randomTensor(rand, [fh, fw, cin, cout]) as tf.Tensor4D;
      const conv = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, stride, pad, 'NHWC', dilation);
      const y0 = conv(x, filter);
      const up = randomTensor(rand, y0.shape);
      const { stock, ours } = stockAndOurs(() => {
        const y = conv(x, filter);
        const [dx, dw] = dilated
          ? [tf.zeros([1]), tf.zeros([1])] // tfjs has no gradient for dilated conv2d
          : tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), up)))([x, filter]);
        return [y, dx, dw];
      });
      const what = JSON.stringify({ batch, h, w, cin, cout, fh, fw, stride, dilation, pad });
      expectClose(ours[0], stock[0], 1e-5, `y ${what}`);
      expectClose(ours[1], stock[1], 1e-5, `dx ${what}`);
      expectClose(ours[2], stock[2], 1e-5, `dw ${what}`);
    }
  });

  it('conv1d, as Conv1D layers call it, small and large enough for the SIMD path', () => {
    const rand = seededRandom(8);
    for (const [batch, steps, cin, width, cout] of [
      [3, 40, 6, 7, 4],
      [2, 90, 20, 5, 24],
    ]) {
      const x = randomTensor(rand, [batch, steps, cin]) as tf.Tensor3D;
      const filter = randomTensor(rand, [width, cin, cout]) as tf.Tensor3D;
      const up = randomTensor(rand, [batch, steps - width + 1, cout]);
      const { stock, ours } = stockAndOurs(() => {
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, 1, 'valid');
        return [f(x, filter), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), up)))([x, filter])];
      });
      expectClose(ours[0], stock[0], 1e-5, 'y');
      expectClose(ours[1], stock[1], 1e-5, 'dx');
      expectClose(ours[2], stock[2], 1e-5, 'dw');
    }
    expect(tf.getKernel('Conv2D', 'cpu')?.kernelFunc.name).not.toBe('conv2D');
  });
});
