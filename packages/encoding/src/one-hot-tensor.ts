import { EncodingArgumentError, TextTypeError, describe } from './errors.js';

/** A dense 3-D one-hot tensor `[samples, maxLength, depth]`, as the book's listings build with NumPy. */
export interface OneHotTensor {
  /** Row-major values, 1 at each word's (or character's) index, 0 elsewhere. */
  data: Float32Array;
  shape: [samples: number, maxLength: number, depth: number];
  /** The same tensor in compact form: the index that is 1 at `[sample * maxLength + step]`, or -1 where the step is all zeros. */
  indices: Int32Array;
}

export function checkSamples(samples: unknown, where: string): asserts samples is readonly string[] {
  if (!Array.isArray(samples)) throw new TextTypeError(`${where}: samples`, samples);
  samples.forEach((s, i) => {
    if (typeof s !== 'string') throw new TextTypeError(`${where}: samples[${i}]`, s);
  });
}

export function checkCount(value: unknown, name: string, where: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new EncodingArgumentError(`${where}: ${name} must be an integer ≥ ${min}, got ${describe(value)}`);
  }
  return value;
}

/** Allocates the tensor and fills it from per-step indices (-1 = no token at that step). */
export function oneHotFromIndices(indices: Int32Array, samples: number, maxLength: number, depth: number): OneHotTensor {
  const size = samples * maxLength * depth;
  if (!Number.isSafeInteger(size) || size > 0x7fffffff) {
    throw new EncodingArgumentError(
      `one-hot tensor of shape [${samples}, ${maxLength}, ${depth}] has ${size} values, more than one Float32Array holds; use the compact indices instead`,
    );
  }
  const data = new Float32Array(size);
  for (let k = 0; k < indices.length; k++) if (indices[k] >= 0) data[k * depth + indices[k]] = 1;
  return { data, shape: [samples, maxLength, depth], indices };
}
