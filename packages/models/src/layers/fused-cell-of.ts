// Which fused recurrent layer a layer is. The fused layers report tfjs's stock class names
// (getClassName is what tfjs saves), so code that must tell them apart asks here.
import type { RecurrentCell } from '@seqlearn/backend/ops';
import type { tf } from '../tf.js';
import type { FusedLayerView } from './fused-recurrent-call.js';
import { FusedGRU } from './fused-gru.js';
import { FusedLSTM } from './fused-lstm.js';
import { FusedSimpleRNN } from './fused-simple-rnn.js';

/** The cell of a fused SimpleRNN, LSTM or GRU layer; undefined for any other layer (tfjs's own included). */
export function fusedCellOf(layer: tf.layers.Layer): RecurrentCell | undefined {
  if (layer instanceof FusedLSTM) return 'lstm';
  if (layer instanceof FusedGRU) return 'gru';
  if (layer instanceof FusedSimpleRNN) return 'simpleRnn';
  return undefined;
}

export function isFusedRecurrent(layer: tf.layers.Layer): layer is tf.layers.Layer & FusedLayerView {
  return fusedCellOf(layer) !== undefined;
}
