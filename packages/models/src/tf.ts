// The one place that names the tfjs package. @seqlearn/backend picks the compute backend
// (tfjs-node when it loads, otherwise the pure-JS cpu backend); both share this tfjs API.
import * as tf from '@tensorflow/tfjs';

export { tf };
export type LayersModel = tf.LayersModel;
export type Tensor = tf.Tensor;
