import { initBackend } from '@seqlearn/backend';
import { tf } from './tf.js';
import { ModelConfigError } from './errors.js';
import { fusedTopology, type FusedTopology } from './layers/fused-serialization.js';
import type { RecurrentImpl } from './zoo/common.js';

export interface LoadModelOptions {
  /**
   * 'fused' (the default): every SimpleRNN, LSTM, GRU (and Bidirectional around one) whose
   * config the fused layers compute loads as the fused layer, with the saved weights; the
   * others load as tfjs's own. 'stock': tfjs's own layers throughout, as plain tfjs loads them.
   */
  recurrentImpl?: RecurrentImpl;
  /** Called once the topology is read, with the layers that load fused and those that stay stock (and why). */
  onRecurrentLayers?: (layers: Pick<FusedTopology, 'fused' | 'stock'>) => void;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function handlerFor(source: string | tf.io.IOHandler): { handler: tf.io.IOHandler; where: string } {
  if (typeof source !== 'string') return { handler: source, where: 'loadModel' };
  const url = SCHEME.test(source) ? source : `file://${source}`;
  const handlers = tf.io.getLoadHandlers(url);
  if (handlers.length === 0)
    throw new ModelConfigError(`loadModel: no model loader handles '${url}'; pass a file:// path, an http(s):// URL or a tf.io IOHandler`);
  return { handler: handlers[0], where: url };
}

/**
 * Loads a tfjs layers model (`model.json` + weights, as `model.save`, `saveBundle`, plain tfjs
 * or tfjs-converter's Keras layers format write them) with the fused recurrent layers swapped
 * in where their config allows, so that it predicts and trains through the fast path.
 * `source` is a path or a `file://` URL (Node), any URL tfjs loads from, or an IOHandler.
 */
export async function loadModel(source: string | tf.io.IOHandler, opts: LoadModelOptions = {}): Promise<tf.LayersModel> {
  await initBackend();
  const impl = opts.recurrentImpl ?? 'fused';
  if (impl !== 'fused' && impl !== 'stock')
    throw new ModelConfigError(`loadModel: recurrentImpl must be 'fused' or 'stock', got '${String(impl)}'`);
  const { handler, where } = handlerFor(source);
  const load = handler.load?.bind(handler);
  if (load === undefined) throw new ModelConfigError(`loadModel: the IOHandler for ${where} cannot load`);
  let rewritten: FusedTopology | undefined;
  const fusing: tf.io.IOHandler = {
    async load() {
      const artifacts = await load();
      const topology = artifacts.modelTopology;
      if (topology == null || topology instanceof ArrayBuffer) return artifacts;
      rewritten = fusedTopology(topology as Record<string, unknown>, impl);
      opts.onRecurrentLayers?.({ fused: rewritten.fused, stock: rewritten.stock });
      return { ...artifacts, modelTopology: rewritten.topology };
    },
  };
  try {
    return await tf.loadLayersModel(fusing);
  } catch (e) {
    // tfjs's own GRU refuses resetAfter (tf.keras 2's default); the fused GRU computes it.
    if (impl === 'stock' && /reset_after/i.test((e as Error).message)) {
      throw new ModelConfigError(
        `loadModel: ${where} has a GRU with resetAfter: true (tf.keras 2's default), which tfjs's own GRU does not compute; load it with recurrentImpl 'fused' (the default)`,
      );
    }
    throw e;
  }
}
