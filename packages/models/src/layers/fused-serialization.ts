// How saved recurrent layers map onto the fused ones. The fused layers save themselves as
// tfjs's stock SimpleRNN, LSTM, GRU and Bidirectional (getClassName), so that plain tfjs loads
// every saved model. Loading through @seqlearn/models rewrites the saved topology before tfjs
// deserializes it: each stock recurrent layer whose config the fused layer computes becomes the
// fused class again (same config, same weights), and a Bidirectional around one becomes a
// FusedBidirectional. Topologies written before the fused layers took the stock names (class
// names FusedLSTM etc., with a `seed`) go through the same path. Works on the saved (Python
// style, snake_case) JSON that tfjs and tfjs-converter's Keras layers format both write.

import { activationCode } from '@seqlearn/backend/ops';
import type { RecurrentImpl } from '../zoo/common.js';

type Json = Record<string, unknown>;
type StockRecurrent = 'SimpleRNN' | 'LSTM' | 'GRU';

const FUSED_NAME: Record<StockRecurrent, string> = { SimpleRNN: 'FusedSimpleRNN', LSTM: 'FusedLSTM', GRU: 'FusedGRU' };
/** Class names in topologies saved before the fused layers took the stock names. */
const LEGACY_NAME: Record<string, StockRecurrent> = { FusedSimpleRNN: 'SimpleRNN', FusedLSTM: 'LSTM', FusedGRU: 'GRU' };
const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);
// tfjs's defaults when a config leaves the activations out.
const STOCK_ACTIVATION = 'tanh';
const STOCK_RECURRENT_ACTIVATION = 'hard_sigmoid';

/** A recurrent layer that stays tfjs's own on load, and why. */
export interface StockFallback {
  layer: string;
  className: StockRecurrent;
  reason: string;
}

/** What rewriting a topology did. */
export interface FusedTopology {
  topology: Json;
  /** Names of the recurrent layers that load as fused layers. */
  fused: string[];
  /** The recurrent layers that load as tfjs's own, with the reason. */
  stock: StockFallback[];
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function classNameOf(entry: Json): string | undefined {
  const name = entry['class_name'] ?? entry['className'];
  return typeof name === 'string' ? name : undefined;
}

function setClassName(entry: Json, name: string): void {
  if ('className' in entry && !('class_name' in entry)) entry['className'] = name;
  else entry['class_name'] = name;
}

function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function activationRefusal(value: unknown, fallback: string, key: string): string | null {
  const name = value == null ? fallback : value;
  if (typeof name !== 'string') return `its ${key} is not a built-in activation`;
  return activationCode(snakeToCamel(name)) === undefined ? `the fused layers lack its ${key} '${name}'` : null;
}

/**
 * Why a saved SimpleRNN, LSTM or GRU config cannot load as the fused layer, or null when it
 * can. Everything else the fused layers take per call (masks, initial or returned states,
 * stateful use fall back to the stock path inside the fused layer itself).
 */
export function fusedLoadRefusal(className: StockRecurrent, config: Json): string | null {
  const act = activationRefusal(config['activation'], STOCK_ACTIVATION, 'activation');
  if (act !== null) return act;
  if (className === 'SimpleRNN') return null;
  return activationRefusal(
    config['recurrent_activation'] ?? config['recurrentActivation'],
    STOCK_RECURRENT_ACTIVATION,
    'recurrent activation',
  );
}

function rewriteLayer(entry: Json, impl: RecurrentImpl, out: FusedTopology): boolean {
  const className = classNameOf(entry);
  const config = entry['config'];
  if (className === undefined || !isJson(config)) return false;
  if (MODEL_CLASSES.has(className)) {
    rewriteModel(entry, impl, out);
    return false;
  }
  const stock = LEGACY_NAME[className] ?? (className in FUSED_NAME ? (className as StockRecurrent) : undefined);
  if (stock !== undefined) {
    const name = typeof config['name'] === 'string' ? config['name'] : stock;
    const reason = impl === 'stock' ? 'recurrentImpl is stock' : fusedLoadRefusal(stock, config);
    if (reason === null) {
      setClassName(entry, FUSED_NAME[stock]);
      out.fused.push(name);
      return true;
    }
    setClassName(entry, stock);
    delete config['seed'];
    out.stock.push({ layer: name, className: stock, reason });
    return false;
  }
  // Wrappers (Bidirectional, TimeDistributed) hold their layer in config.layer.
  const inner = config['layer'];
  if (isJson(inner)) {
    const innerFused = rewriteLayer(inner, impl, out);
    if (className === 'Bidirectional' || className === 'FusedBidirectional')
      setClassName(entry, innerFused ? 'FusedBidirectional' : 'Bidirectional');
  }
  return false;
}

function rewriteModel(model: Json, impl: RecurrentImpl, out: FusedTopology): void {
  const config = model['config'];
  // Keras 1 wrote a Sequential's config as the bare list of its layers.
  const layers = Array.isArray(config) ? config : isJson(config) ? config['layers'] : undefined;
  if (!Array.isArray(layers)) return;
  for (const layer of layers) if (isJson(layer)) rewriteLayer(layer, impl, out);
}

/**
 * A copy of a saved layers-model topology (tfjs's `modelTopology`, with or without Keras's
 * `model_config` around it) whose recurrent layers load as the fused layers where they can.
 */
export function fusedTopology(topology: Json, impl: RecurrentImpl = 'fused'): FusedTopology {
  const copy = structuredClone(topology);
  const out: FusedTopology = { topology: copy, fused: [], stock: [] };
  const modelConfig = copy['model_config'];
  rewriteModel(isJson(modelConfig) ? modelConfig : copy, impl, out);
  return out;
}
