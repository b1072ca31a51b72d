import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError } from '../src/index.js';
import {
  checkTfjsVersions,
  compiledModelInternals,
  gruCellInternals,
  nestedLayers,
  optimizerBetaPowers,
  optimizerLearningRate,
  recordingGradients,
  registeredClassName,
  registeredLayerClass,
  registeredVariable,
  setOptimizerLearningRate,
  setRecurrentCell,
  setWrappedLayer,
  TFJS_INTERNALS_VERSION,
  tfjsVersions,
} from '../src/internals.js';

describe('tfjs internals adapter', () => {
  it('accepts the installed tfjs, the release line it was written for', () => {
    expect(TFJS_INTERNALS_VERSION).toBe('4.22.x');
    expect(tfjsVersions()['tfjs-core']).toBe(tf.version_core);
    expect(() => checkTfjsVersions()).not.toThrow();
  });

  it('refuses another tfjs release with a typed error naming both versions', () => {
    const attempt = () => checkTfjsVersions({ 'tfjs-core': '4.23.1', 'tfjs-layers': '4.22.0' });
    expect(attempt).toThrow(BackendUnavailableError);
    expect(attempt).toThrow(/4\.22\.x.*@tensorflow\/tfjs-core 4\.23\.1/);
    expect(attempt).not.toThrow(/tfjs-layers 4\.22\.0/);
  });

  it('reads the engine: variables by name and whether gradients are being recorded', () => {
    const v = tf.variable(tf.zeros([2]), true, 'adapter_probe');
    expect(registeredVariable('adapter_probe')).toBe(v);
    expect(recordingGradients()).toBe(false);
    let inside: boolean | undefined;
    tf.grad((x: tf.Tensor) => {
      inside = recordingGradients();
      return x.sum();
    })(tf.ones([2]));
    expect(inside).toBe(true);
    v.dispose();
  });

  it("reads and sets optimizers' learning rates; the rate set is the one the next step uses", () => {
    expect(optimizerLearningRate(tf.train.adam(0.0123))).toBe(0.0123);
    expect(optimizerLearningRate(tf.train.rmsprop(0.25))).toBe(0.25);
    // SGD caches -rate as a tensor: only its setter reaches the step.
    const sgd = tf.train.sgd(0.1);
    setOptimizerLearningRate(sgd, 0.5);
    expect(optimizerLearningRate(sgd)).toBe(0.5);
    const x = tf.variable(tf.zeros([2]), true, 'adapter_sgd_probe');
    sgd.minimize(() => x.sum() as tf.Scalar, false, [x]);
    expect(Array.from(x.dataSync())).toEqual([-0.5, -0.5]);
    const adam = tf.train.adam(0.01);
    setOptimizerLearningRate(adam, 0.02);
    expect(optimizerLearningRate(adam)).toBe(0.02);
    x.dispose();
    sgd.dispose();
    adam.dispose();
  });

  it("finds Adam's and Adamax's running beta powers, the variables their steps update", () => {
    const adam = tf.train.adam(0.1, 0.9, 0.999);
    const powers = optimizerBetaPowers(adam);
    expect(Object.keys(powers)).toEqual(['accBeta1', 'accBeta2']);
    expect(powers['accBeta1']!.dataSync()[0]).toBeCloseTo(0.9, 6);
    const x = tf.variable(tf.ones([2]), true, 'adapter_adam_probe');
    adam.minimize(() => x.sum() as tf.Scalar, false, [x]);
    expect(powers['accBeta1']!.dataSync()[0]).toBeCloseTo(0.9 * 0.9, 6);
    expect(powers['accBeta2']!.dataSync()[0]).toBeCloseTo(0.999 * 0.999, 6);
    expect(Object.keys(optimizerBetaPowers(tf.train.adamax(0.1)))).toEqual(['accBeta1']);
    expect(optimizerBetaPowers(tf.train.sgd(0.1))).toEqual({});
    x.dispose();
  });

  it('finds the layers inside wrappers and nested models, and replaces a wrapped layer', () => {
    const lstm = tf.layers.lstm({ units: 2 });
    const bi = tf.layers.bidirectional({ layer: lstm as tf.RNN, inputShape: [3, 4] });
    const [forward, backward, given] = nestedLayers(bi);
    expect(forward!.name).toMatch(/^forward_/);
    expect(backward!.name).toMatch(/^backward_/);
    expect(given).toBe(lstm);
    const dense = tf.layers.dense({ units: 1, inputShape: [2] });
    expect(nestedLayers(dense)).toEqual([]);
    const inner = tf.sequential({ layers: [dense] });
    expect(nestedLayers(inner)).toEqual([dense]);
    const other = tf.layers.lstm({ units: 2 });
    setWrappedLayer(bi, other);
    expect(nestedLayers(bi)[2]).toBe(other);
  });

  it('reads the loss and metric functions compile() set up, through a Sequential to the model it wraps', () => {
    const yTrue = tf.tensor2d([[1], [0], [2]]);
    const yPred = tf.tensor2d([[0.5], [0.25], [3]]);
    const build = () => tf.layers.dense({ units: 1, inputShape: [2], kernelRegularizer: tf.regularizers.l2({ l2: 0.1 }) });
    const sequential = tf.sequential({ layers: [build()] });
    const input = tf.input({ shape: [2] });
    const functional = tf.model({ inputs: input, outputs: build().apply(input) as tf.SymbolicTensor });
    for (const model of [sequential, functional]) {
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae'] });
      const parts = compiledModelInternals(model);
      expect(parts.lossFunctions).toHaveLength(1);
      expect(Array.from(parts.lossFunctions[0]!(yTrue, yPred).dataSync())).toEqual(
        Array.from(tf.metrics.meanSquaredError(yTrue, yPred).dataSync()),
      );
      expect(parts.metricsTensors).toHaveLength(1);
      expect(Array.from(parts.metricsTensors[0]![0](yTrue, yPred).dataSync())).toEqual(
        Array.from(tf.metrics.meanAbsoluteError(yTrue, yPred).dataSync()),
      );
      expect(parts.calculateLosses?.()).toHaveLength(1);
    }
  });

  it("reads tfjs's registry: a class's registered name and its static fromConfig", () => {
    expect(registeredClassName(tf.layers.lstm({ units: 2 }))).toBe('LSTM');
    const Bidirectional = registeredLayerClass<object, tf.layers.Layer>('Bidirectional');
    expect(Bidirectional.className).toBe('Bidirectional');
    const bi = tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3 }) as tf.RNN, mergeMode: 'sum' });
    const copy = Bidirectional.fromConfig(Bidirectional as tf.serialization.SerializableConstructor<tf.layers.Layer>, bi.getConfig());
    expect(copy.getClassName()).toBe('Bidirectional');
    const { name: _a, ...copied } = copy.getConfig();
    const { name: _b, ...original } = bi.getConfig();
    expect(copied).toEqual(original);
  });

  it("reads and writes a GRU cell's fields and swaps a recurrent layer's cell", () => {
    const gru = tf.layers.gru({ units: 3, dropout: 0.25, recurrentDropout: 0.5, useBias: false }) as tf.RNN;
    gru.apply(tf.input({ shape: [5, 4] }));
    const c = gruCellInternals(gru.cell);
    expect([c.units, c.dropout, c.recurrentDropout, c.useBias, c.built, c.bias]).toEqual([3, 0.25, 0.5, false, true, null]);
    expect(c.kernel.shape).toEqual([4, 9]);
    expect(c.recurrentKernel.shape).toEqual([3, 9]);
    const GRUCell = registeredLayerClass<tf.GRULayerArgs, tf.layers.Layer>('GRUCell');
    const cell = new GRUCell({ units: 3 });
    setRecurrentCell(gru, cell);
    expect(gru.cell).toBe(cell);
    expect(gruCellInternals(cell).built).toBe(false);
  });
});
