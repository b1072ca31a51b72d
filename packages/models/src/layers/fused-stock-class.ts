// The stock recurrent layer classes, looked up in tfjs's serialization registry: tfjs exports
// their types but not the classes themselves. Subclassing them keeps every bit of the stock
// layers' config handling, weight creation (names, shapes, initializers) and serialization.

import { tf } from '../tf.js';

export type StockLSTM = ReturnType<typeof tf.layers.lstm>;
export type StockGRU = ReturnType<typeof tf.layers.gru>;
export type StockSimpleRNN = ReturnType<typeof tf.layers.simpleRNN>;

export function stockLayerClass<Args, Instance>(className: string): new (args: Args) => Instance {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (entry === undefined) throw new Error(`tfjs has no layer class registered as ${className}`);
  return entry[0] as unknown as new (args: Args) => Instance;
}
