// Token ids checked before they index a table, so a bad id is a clear error and not a NaN or
// a read past the end.

import { InputShapeError } from '../errors.js';

export function requireTokenIds(values: Int32Array | Float32Array, vocabulary: number): Int32Array {
  if (!(values instanceof Int32Array)) {
    throw new InputShapeError(`compiled train step: an Embedding takes token ids as an Int32Array, got a ${values.constructor.name}`);
  }
  for (let i = 0; i < values.length; i++) {
    const id = values[i];
    if (id < 0 || id >= vocabulary) {
      throw new InputShapeError(`compiled train step: token id ${id} at position ${i} is outside the Embedding's range [0, ${vocabulary})`);
    }
  }
  return values;
}
