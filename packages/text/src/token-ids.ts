/** Throws a `TokenIdError` unless `value` is a non-negative integer token id. */
export { checkTokenId } from '@seqlearn/dataset';
