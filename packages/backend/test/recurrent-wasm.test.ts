import { describe, expect, it } from 'vitest';
import { recurrentForward, useWasmThreads, wasmRecurrentSupports, type RecurrentCell, type RecurrentShape } from '../src/ops/index.js';
import { seededRandom } from './seeded-random.js';

const shape: RecurrentShape = {
  cell: 'lstm',
  batch: 3,
  steps: 5,
  inputDim: 2,
  units: 4,
  goBackwards: false,
  activation: 0,
  recurrentActivation: 1,
};

function randomArray(rand: () => number, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rand() * 2 - 1);
}

function problem(seed: number) {
  const rand = seededRandom(seed);
  const G = 4 * shape.units;
  return {
    x: randomArray(rand, shape.batch * shape.steps * shape.inputDim),
    weights: {
      kernel: randomArray(rand, shape.inputDim * G),
      recurrentKernel: randomArray(rand, shape.units * G),
      bias: randomArray(rand, G),
      recurrentMask: null,
    },
    dy: randomArray(rand, shape.batch * shape.units),
  };
}

describe.skipIf(!wasmRecurrentSupports(shape.units))('recurrent passes in WebAssembly keep their states between calls', () => {
  it('give the same gradients when passes interleave in any order', () => {
    const [a, b] = [problem(1), problem(2)];
    const alone = [a, b].map((p) => recurrentForward(shape, p.x, p.weights, { forBackward: true, allSteps: false }).backward(p.dy, false));
    // Both forward passes, then their backward passes first-in first-out (not the usual order).
    const passA = recurrentForward(shape, a.x, a.weights, { forBackward: true, allSteps: false });
    const passB = recurrentForward(shape, b.x, b.weights, { forBackward: true, allSteps: true });
    const gradA = passA.backward(a.dy, false);
    // A product in between reuses the memory above the frames still kept.
    recurrentForward(shape, b.x, b.weights, { forBackward: false, allSteps: false });
    const gradB = passB.backward(b.dy, false);
    for (const [got, want] of [
      [gradA, alone[0]],
      [gradB, alone[1]],
    ] as const) {
      expect(Array.from(got.x)).toEqual(Array.from(want.x));
      expect(Array.from(got.kernel)).toEqual(Array.from(want.kernel));
      expect(Array.from(got.recurrentKernel)).toEqual(Array.from(want.recurrentKernel));
      expect(Array.from(got.bias)).toEqual(Array.from(want.bias));
    }
    expect(passB.steps?.length).toBe(shape.steps * shape.batch * shape.units);
    expect(Array.from(passB.steps!.subarray((shape.steps - 1) * shape.batch * shape.units))).toEqual(Array.from(passB.last));
  });

  it('refuse a backward pass without kept states, or a second one', () => {
    const p = problem(3);
    const inference = recurrentForward(shape, p.x, p.weights, { forBackward: false, allSteps: false });
    expect(() => inference.backward(p.dy, false)).toThrow(/kept no states/);
    const training = recurrentForward(shape, p.x, p.weights, { forBackward: true, allSteps: false });
    training.backward(p.dy, false);
    expect(() => training.backward(p.dy, false)).toThrow(/backward already ran/);
  });

  it('compute tanh, sigmoid, hard sigmoid and relu to float32 precision over the whole range', () => {
    // One SimpleRNN step with an identity kernel and no recurrence: h = activation(x).
    // NaN gets a row of its own: the product with the kernel spreads it across its row (0 · NaN).
    const inputs = [-100, -20, -5, -1.5, -0.3, -1e-3, -1e-8, 0, 1e-8, 1e-3, 0.3, 1.5, 5, 20, 100, 7, NaN, NaN, NaN, NaN];
    const units = 4;
    const identity = new Float32Array(units * units);
    for (let i = 0; i < units; i++) identity[i * units + i] = 1;
    const reference: Array<(v: number) => number> = [
      Math.tanh,
      (v) => 1 / (1 + Math.exp(-v)),
      (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5)),
      (v) => Math.max(0, v),
    ];
    reference.forEach((f, code) => {
      const s: RecurrentShape = {
        ...shape,
        cell: 'simpleRnn',
        batch: inputs.length / units,
        steps: 1,
        inputDim: units,
        units,
        activation: code,
      };
      const pass = recurrentForward(
        s,
        Float32Array.from(inputs),
        {
          kernel: identity,
          recurrentKernel: new Float32Array(units * units),
          bias: null,
          recurrentMask: null,
        },
        { forBackward: false, allSteps: false },
      );
      inputs.forEach((v, i) => {
        const want = Math.fround(f(Math.fround(v)));
        if (Number.isNaN(want)) expect(pass.last[i], `activation ${code} of ${v}`).toBeNaN();
        else expect(Math.abs(pass.last[i] - want), `activation ${code} of ${v}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
      });
    });
  });

  it('split a batch over two threads with the results of one', () => {
    expect(useWasmThreads(true)).toBe(true);
    const rand = seededRandom(4);
    try {
      for (const cell of ['simpleRnn', 'lstm', 'gru'] as RecurrentCell[]) {
        for (const [batch, goBackwards, sequences] of [
          [9, false, true],
          [16, true, false],
          [11, true, true],
        ] as const) {
          const s: RecurrentShape = { ...shape, cell, batch, steps: 6, inputDim: 3, units: 8, goBackwards };
          const G = { simpleRnn: 1, lstm: 4, gru: 3 }[cell] * s.units;
          const x = randomArray(rand, batch * s.steps * s.inputDim);
          const weights = {
            kernel: randomArray(rand, s.inputDim * G),
            recurrentKernel: randomArray(rand, s.units * G),
            bias: randomArray(rand, G),
            recurrentMask: Float32Array.from({ length: batch * s.units }, () => (rand() < 0.3 ? 0 : 1.4)),
          };
          const dy = randomArray(rand, (sequences ? s.steps : 1) * batch * s.units);
          const run = (threads: boolean) => {
            useWasmThreads(threads);
            const pass = recurrentForward(s, x, weights, { forBackward: true, allSteps: true });
            return { pass, grads: pass.backward(dy, sequences) };
          };
          const one = run(false);
          const two = run(true);
          const label = `${cell} batch ${batch}`;
          // Each sequence's outputs are its own arithmetic, whichever thread ran it.
          expect(Array.from(two.pass.last), label).toEqual(Array.from(one.pass.last));
          expect(Array.from(two.pass.steps!), label).toEqual(Array.from(one.pass.steps!));
          expect(Array.from(two.grads.x), label).toEqual(Array.from(one.grads.x));
          // Weight gradients sum over the batch in two parts, so only the rounding may differ.
          for (const key of ['kernel', 'recurrentKernel', 'bias'] as const) {
            const diff = Math.max(...two.grads[key].map((v, i) => Math.abs(v - one.grads[key][i])));
            expect(diff, `${label} ${key}`).toBeLessThan(1e-5);
          }
        }
      }
    } finally {
      useWasmThreads(true);
    }
  });
});
