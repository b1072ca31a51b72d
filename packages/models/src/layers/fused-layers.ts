// The fused recurrent layers, for src/index.ts.
export { FusedLSTM, fusedLstm, type FusedLSTMArgs, type FusedRecurrentArgs } from './fused-lstm.js';
export { FusedGRU, fusedGru, type FusedGRUArgs } from './fused-gru.js';
export { FusedSimpleRNN, fusedSimpleRNN, type FusedSimpleRNNArgs } from './fused-simple-rnn.js';
export { FusedBidirectional, fusedBidirectional } from './fused-bidirectional.js';
export { fusedCellOf } from './fused-cell-of.js';
