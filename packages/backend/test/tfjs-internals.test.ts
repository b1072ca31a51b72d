import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError } from '../src/index.js';
import { checkTfjsVersions, recordingGradients, registeredVariable, TFJS_INTERNALS_VERSION, tfjsVersions } from '../src/internals.js';

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
});
