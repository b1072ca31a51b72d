import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import type { History } from '@seqlearn/models';

/**
 * The training state after a finished epoch: the model's weights, the optimizer's slots (so
 * RMSprop/Adam go on as if never stopped) and the history so far. Written after every epoch,
 * checked by sha256 and by the model stage's key before it is trusted.
 */
interface TensorEntry {
  name?: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

interface CheckpointState {
  key: string;
  epochsDone: number;
  history: History;
  weights: TensorEntry[];
  optimizer: TensorEntry[];
  sha256: string;
}

export interface Checkpoint {
  epochsDone: number;
  history: History;
  /** Puts the saved weights and optimizer slots into a freshly built model of the same architecture. */
  restore(model: tfjs.LayersModel, tf: typeof tfjs): Promise<void>;
}

const STATE = 'state.json';
const DATA = 'tensors.bin';

export function checkpointDir(runDir: string): string {
  return join(runDir, 'checkpoint');
}

export async function saveCheckpoint(runDir: string, key: string, epochsDone: number, history: History, model: tfjs.LayersModel): Promise<void> {
  const dir = checkpointDir(runDir);
  mkdirSync(dir, { recursive: true });
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const add = (t: tfjs.Tensor, name?: string): TensorEntry => {
    const values = t.dataSync() as Float32Array | Int32Array;
    const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
    chunks.push(bytes);
    const entry: TensorEntry = { ...(name === undefined ? {} : { name }), shape: t.shape.slice(), dtype: t.dtype === 'int32' ? 'int32' : 'float32', offset, length: values.length };
    offset += bytes.byteLength;
    return entry;
  };
  const weights = model.getWeights().map((w) => add(w));
  const named = model.optimizer === undefined ? [] : await model.optimizer.getWeights();
  const optimizer = named.map((n) => add(n.tensor, n.name));
  const data = Buffer.concat(chunks);
  const state: CheckpointState = { key, epochsDone, history, weights, optimizer, sha256: createHash('sha256').update(data).digest('hex') };
  writeFileSync(join(dir, `${DATA}.tmp`), data);
  renameSync(join(dir, `${DATA}.tmp`), join(dir, DATA));
  writeFileSync(join(dir, `${STATE}.tmp`), JSON.stringify(state));
  renameSync(join(dir, `${STATE}.tmp`), join(dir, STATE));
}

export type CheckpointLookup = { found: Checkpoint } | { found: undefined; reason?: string };

/** The checkpoint for `key`, or why there is none usable (another config, damaged files). */
export function loadCheckpoint(runDir: string, key: string): CheckpointLookup {
  const dir = checkpointDir(runDir);
  if (!existsSync(join(dir, STATE))) return { found: undefined };
  let state: CheckpointState;
  let data: Buffer;
  try {
    state = JSON.parse(readFileSync(join(dir, STATE), 'utf8')) as CheckpointState;
    data = readFileSync(join(dir, DATA));
  } catch {
    return { found: undefined, reason: 'the checkpoint is damaged' };
  }
  if (state.key !== key) return { found: undefined, reason: 'the checkpoint is from another configuration' };
  if (createHash('sha256').update(data).digest('hex') !== state.sha256) return { found: undefined, reason: 'the checkpoint file is corrupted' };
  const view = (e: TensorEntry) => {
    const bytes = data.subarray(e.offset, e.offset + e.length * 4);
    const copy = new Uint8Array(bytes);
    return e.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
  };
  return {
    found: {
      epochsDone: state.epochsDone,
      history: state.history,
      async restore(model, tf) {
        const current = model.getWeights();
        if (current.length !== state.weights.length || current.some((w, i) => w.size !== state.weights[i].length)) {
          throw new Error('checkpoint weights do not fit the model');
        }
        const tensors = state.weights.map((e) => tf.tensor(view(e), e.shape, e.dtype));
        model.setWeights(tensors);
        tf.dispose(tensors);
        if (model.optimizer !== undefined && state.optimizer.length > 0) {
          // The optimizer keeps these tensors as its slot variables: not disposed here.
          await model.optimizer.setWeights(state.optimizer.map((e) => ({ name: e.name ?? '', tensor: tf.tensor(view(e), e.shape, e.dtype) })));
        }
      },
    },
  };
}

export function clearCheckpoint(runDir: string): void {
  rmSync(checkpointDir(runDir), { recursive: true, force: true });
}
