import { tf } from '../tf.js';
import { ModelConfigError } from '../errors.js';
import type { Init, InitFactory, RecurrentImpl } from './common.js';

export type RecurrentKind = 'simpleRnn' | 'lstm' | 'gru';

/** The Keras arguments the chapter's recurrent layers use. */
export interface RecurrentSpec {
  units: number;
  returnSequences?: boolean;
  dropout?: number;
  recurrentDropout?: number;
  activation?: 'tanh' | 'relu';
  inputShape?: (number | null)[];
  name?: string;
}

/** Builds one recurrent layer for a spec. Fused implementations register one of these per kind. */
export type RecurrentFactory = (spec: RecurrentSpec & {
  kernelInitializer: Init | 'glorotUniform';
  recurrentInitializer: Init | 'orthogonal';
}) => tf.layers.Layer;

const fusedFactories = new Map<RecurrentKind, RecurrentFactory>();

/**
 * Lets the fused-kernel layers plug into every builder: `recurrentImpl: 'fused'` then uses
 * the registered factory for that kind. Registering again replaces the previous factory.
 */
export function registerFusedRecurrent(kind: RecurrentKind, factory: RecurrentFactory): void {
  fusedFactories.set(kind, factory);
}

export function hasFusedRecurrent(kind: RecurrentKind): boolean {
  return fusedFactories.has(kind);
}

export function recurrentLayer(kind: RecurrentKind, spec: RecurrentSpec, impl: RecurrentImpl, init: InitFactory): tf.layers.Layer {
  const args = {
    ...spec,
    kernelInitializer: init.glorotUniform(),
    recurrentInitializer: init.orthogonal(),
  };
  if (impl === 'fused') {
    const factory = fusedFactories.get(kind);
    if (factory === undefined) {
      throw new ModelConfigError(
        `recurrentImpl 'fused' was asked for a ${kind} layer, but no fused ${kind} is registered; use recurrentImpl 'stock'`,
      );
    }
    return factory(args);
  }
  if (impl !== 'stock') throw new ModelConfigError(`recurrentImpl must be 'fused' or 'stock', got '${String(impl)}'`);
  const stockArgs = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
  switch (kind) {
    case 'simpleRnn':
      return tf.layers.simpleRNN(stockArgs as unknown as Parameters<typeof tf.layers.simpleRNN>[0]);
    case 'lstm':
      return tf.layers.lstm(stockArgs as unknown as Parameters<typeof tf.layers.lstm>[0]);
    case 'gru':
      return tf.layers.gru(stockArgs as unknown as Parameters<typeof tf.layers.gru>[0]);
  }
}
