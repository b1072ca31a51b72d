import { checkCount, checkSamples, oneHotFromIndices, type OneHotTensor } from './one-hot-tensor.js';
import { resolveHashFunction, type HashFunction } from './hash-function.js';
import { pythonSplit } from './python-split.js';

export interface HashedWordOneHotOptions {
  /** Number of hash buckets (the tensor's depth). Default 1000. */
  dimensionality?: number;
  /** Words considered per sample. Default 10. */
  maxLength?: number;
  /** Default `'murmur3'` (see HashFunction); the book uses Python's salted `hash`, which no run can reproduce. */
  hashFunction?: HashFunction;
}

/**
 * Word-level one-hot encoding with hashing, listing 6.4: each of the first `maxLength` words
 * of `sample.split()` goes to bucket `abs(hash(word)) % dimensionality`. With the default hash
 * that is `abs(sklearn.utils.murmurhash3_32(word)) % dimensionality`, the bucket scikit-learn's
 * HashingVectorizer uses. Distinct words may share a bucket (a hash collision).
 */
export function hashedWordOneHot(samples: readonly string[], options: HashedWordOneHotOptions = {}): OneHotTensor {
  checkSamples(samples, 'hashedWordOneHot');
  const dimensionality = checkCount(options.dimensionality ?? 1000, 'dimensionality', 'hashedWordOneHot', 1);
  const maxLength = checkCount(options.maxLength ?? 10, 'maxLength', 'hashedWordOneHot', 0);
  const bucket = resolveHashFunction(options.hashFunction, 'hashedWordOneHot');
  const indices = new Int32Array(samples.length * maxLength).fill(-1);
  samples.forEach((sample, i) => {
    const words = pythonSplit(sample);
    const steps = Math.min(words.length, maxLength);
    for (let j = 0; j < steps; j++) indices[i * maxLength + j] = bucket.absMod(words[j], dimensionality);
  });
  return oneHotFromIndices(indices, samples.length, maxLength, dimensionality);
}
