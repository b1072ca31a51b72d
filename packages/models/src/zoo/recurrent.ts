import type { RecurrentCell } from '@seqlearn/backend/ops';
import { tf } from '../tf.js';
import { ModelConfigError } from '../errors.js';
import { fusedGru } from '../layers/fused-gru.js';
import { fusedLstm } from '../layers/fused-lstm.js';
import { fusedSimpleRNN } from '../layers/fused-simple-rnn.js';
import type { Init, InitFactory, RecurrentImpl } from './common.js';

/** The recurrent cells, one spelling shared with @seqlearn/backend/ops' `RecurrentCell`. */
export type RecurrentKind = RecurrentCell;

/** The Keras arguments the chapter's recurrent layers use. */
export interface RecurrentSpec {
  units: number;
  returnSequences?: boolean;
  dropout?: number;
  recurrentDropout?: number;
  activation?: 'tanh' | 'relu';
  inputShape?: (number | null)[];
  name?: string;
  /** GRU only: Keras's reset_after (tf.keras 2's default); the fused GRU has it, tfjs's own does not. */
  resetAfter?: boolean;
}

/** Builds one recurrent layer for a spec. Fused implementations register one of these per kind. */
export type RecurrentFactory = (
  spec: RecurrentSpec & {
    kernelInitializer: Init | 'glorotUniform';
    recurrentInitializer: Init | 'orthogonal';
    /** Seed of the layer's dropout masks. */
    seed?: number;
  },
) => tf.layers.Layer;

type Args<F extends (a: never) => unknown> = Parameters<F>[0];

// The project's fused layers (src/layers): the whole sequence, forward and backward, as one op.
const fusedFactories = new Map<RecurrentKind, RecurrentFactory>([
  ['simpleRnn', (spec) => fusedSimpleRNN(spec as Args<typeof fusedSimpleRNN>)],
  ['lstm', (spec) => fusedLstm(spec as Args<typeof fusedLstm>)],
  ['gru', (spec) => fusedGru(spec as Args<typeof fusedGru>)],
]);

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
  if (spec.resetAfter === true && kind !== 'gru')
    throw new ModelConfigError(`resetAfter is a GRU option; the ${kind} layer has no reset gate`);
  if (spec.resetAfter === true && impl === 'stock') {
    throw new ModelConfigError("tfjs's own GRU does not implement resetAfter: true; use recurrentImpl 'fused' or resetAfter: false");
  }
  const args = {
    ...spec,
    kernelInitializer: init.glorotUniform(),
    recurrentInitializer: init.orthogonal(),
  };
  // Drawn for stock layers too, so both implementations get identical initial weights from one seed.
  const seed = init.dropoutSeed();
  if (impl === 'fused') {
    const factory = fusedFactories.get(kind);
    if (factory === undefined) {
      throw new ModelConfigError(
        `recurrentImpl 'fused' was asked for a ${kind} layer, but no fused ${kind} is registered; use recurrentImpl 'stock'`,
      );
    }
    return factory(seed === undefined ? args : { ...args, seed });
  }
  if (impl !== 'stock') throw new ModelConfigError(`recurrentImpl must be 'fused' or 'stock', got '${String(impl)}'`);
  const stockArgs = definedOnly(args);
  switch (kind) {
    case 'simpleRnn':
      return tf.layers.simpleRNN(stockArgs);
    case 'lstm':
      return tf.layers.lstm(stockArgs);
    case 'gru':
      return tf.layers.gru(stockArgs);
  }
}

/** `args` without its undefined entries: tfjs reads a present-but-undefined key as a value. */
function definedOnly<T extends object>(args: T): T {
  const kept: Partial<T> = {};
  for (const key of Object.keys(args) as Array<keyof T>) {
    if (args[key] !== undefined) kept[key] = args[key];
  }
  return kept as T;
}
