// The stock recurrent layer classes the fused layers subclass. tfjs exports their types but
// not the classes; the backend's tfjs internals adapter looks them up in tfjs's serialization
// registry. Subclassing them keeps every bit of the stock layers' config handling, weight
// creation (names, shapes, initializers) and serialization. They are typed as tf.RNN, tfjs's
// public base class, so the emitted declarations name only '@tensorflow/tfjs'.

import { registeredLayerClass } from '@seqlearn/backend/internals';
import type { tf } from '../tf.js';

export const StockLSTM = registeredLayerClass<tf.LSTMLayerArgs, tf.RNN>('LSTM');
export const StockGRU = registeredLayerClass<tf.GRULayerArgs, tf.RNN>('GRU');
export const StockSimpleRNN = registeredLayerClass<tf.SimpleRNNLayerArgs, tf.RNN>('SimpleRNN');
// Its args are tfjs's BidirectionalLayerArgs, which tfjs does not export at top level.
export const StockBidirectional = registeredLayerClass<object, tf.layers.Layer>('Bidirectional');
