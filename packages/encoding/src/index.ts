export { TextTypeError, UnencodableTextError, EncodingArgumentError, TokenIdError, NotFittedError } from './errors.js';
export { pythonSplit } from './python-split.js';
export type { OneHotTensor } from './one-hot-tensor.js';
export { buildWordIndex, wordOneHot, type WordOneHotOptions } from './word-one-hot.js';
export { charOneHot, PRINTABLE, type CharOneHotOptions } from './char-one-hot.js';
export { hashedWordOneHot, type HashedWordOneHotOptions } from './hashed-word-one-hot.js';
export { murmurHash3 } from './murmur3.js';
export { md5Hash, md5Mod } from './md5.js';
export { DEFAULT_HASH_FUNCTION, type HashFunction, type HashFunctionName } from './hash-function.js';
export { hashingTrick, oneHot, type HashingTrickOptions, type OneHotOptions } from './hashing-trick.js';
export type { SequencesInput } from './sequences-input.js';
export type { DocumentFrequencies, KerasTokenizerJson } from './document-frequencies.js';
export { csrToDense, type CsrMatrix } from './csr.js';
export {
  SequenceVectorizer,
  vectorizeSequences,
  vectorizeSequencesCsr,
  VECTORIZE_MODES,
  type VectorizeMode,
  type SequenceVectorizerOptions,
  type VectorizeOptions,
  type TokenizerSource,
} from './sequence-vectorizer.js';
export { fitOnBatches as fitVectorizerOnBatches, vectorizeBatches } from './batch-stream.js';
