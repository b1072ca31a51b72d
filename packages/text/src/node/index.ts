// Node.js-only parts of @seqlearn/text: tokenizing over worker threads.
export { TokenizerPool, TokenizerWorkerError } from './tokenizer-pool.js';
export type { TokenizerPoolOptions } from './tokenizer-pool.js';
