import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { writeFileAtomic } from '@seqlearn/dataset';
import { captureTraining, disposeSnapshot, restoreTraining, type EarlyStoppingState, type History } from '@seqlearn/models';

/**
 * The training state after a finished epoch: the model's weights, the optimizer's slots and
 * iteration count, the dropout streams' positions, the early stopping's state (best weights
 * included), the history so far and the seconds spent. With the epoch's shuffle drawn from
 * (seed, epoch), a resumed run ends with the weights an uninterrupted one would have. Written
 * atomically after every epoch, checked by sha256 and by the model stage's key before it is
 * trusted.
 */
interface TensorEntry {
  name?: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

/** The early stopping's state without its tensors (`bestWeights` lives in the tensor file). */
interface StopperEntry {
  best: number | null;
  wait: number;
  bestEpoch: number | null;
  bestWeights: TensorEntry[] | null;
}

interface CheckpointState {
  key: string;
  epochsDone: number;
  history: History;
  weights: TensorEntry[];
  optimizer: TensorEntry[];
  dropoutStreams?: Record<string, number>;
  optimizerScalars?: Record<string, number>;
  stopper?: StopperEntry;
  /** Wall-clock seconds of every attempt so far. */
  seconds?: number;
  sha256: string;
}

export interface Checkpoint {
  epochsDone: number;
  history: History;
  /** Seconds the earlier attempts spent, up to this checkpoint. */
  seconds: number;
  /** Puts the saved training state into a freshly built model of the same architecture. */
  restore(model: tfjs.LayersModel, tf: typeof tfjs): Promise<void>;
  /** The early stopping's state (its best weights as fresh tensors), when one was saved. */
  stopper(tf: typeof tfjs): EarlyStoppingState | undefined;
}

export interface CheckpointExtras {
  stopper?: EarlyStoppingState;
  seconds: number;
}

const STATE = 'state.json';
const DATA = 'tensors.bin';

export function checkpointDir(runDir: string): string {
  return join(runDir, 'checkpoint');
}

export async function saveCheckpoint(
  runDir: string,
  key: string,
  epochsDone: number,
  history: History,
  model: tfjs.LayersModel,
  extras: CheckpointExtras,
): Promise<void> {
  const dir = checkpointDir(runDir);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const add = (t: tfjs.Tensor, name?: string): TensorEntry => {
    const values = t.dataSync() as Float32Array | Int32Array;
    const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
    chunks.push(bytes);
    const entry: TensorEntry = {
      ...(name === undefined ? {} : { name }),
      shape: t.shape.slice(),
      dtype: t.dtype === 'int32' ? 'int32' : 'float32',
      offset,
      length: values.length,
    };
    offset += bytes.byteLength;
    return entry;
  };
  const snapshot = await captureTraining(model, epochsDone);
  try {
    const weights = snapshot.weights.map((w) => add(w));
    const optimizer = snapshot.optimizer.map((n) => add(n.tensor, n.name));
    const s = extras.stopper;
    const stopper: StopperEntry | undefined =
      s === undefined
        ? undefined
        : {
            best: Number.isFinite(s.best) ? s.best : null,
            wait: s.wait,
            bestEpoch: s.bestEpoch ?? null,
            bestWeights: s.bestWeights?.map((w) => add(w)) ?? null,
          };
    const data = Buffer.concat(chunks);
    const state: CheckpointState = {
      key,
      epochsDone,
      history,
      weights,
      optimizer,
      dropoutStreams: snapshot.dropoutStreams,
      optimizerScalars: snapshot.optimizerScalars,
      ...(stopper === undefined ? {} : { stopper }),
      seconds: extras.seconds,
      sha256: createHash('sha256').update(data).digest('hex'),
    };
    // The tensors first, then the state that names their hash: a crash between the two leaves a
    // state whose hash does not match, which is refused, never a mix of two epochs.
    await writeFileAtomic(join(dir, DATA), data, { mkdir: true });
    await writeFileAtomic(join(dir, STATE), JSON.stringify(state));
  } finally {
    disposeSnapshot(snapshot);
  }
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
  if (createHash('sha256').update(data).digest('hex') !== state.sha256)
    return { found: undefined, reason: 'the checkpoint file is corrupted' };
  const view = (e: TensorEntry) => {
    const bytes = data.subarray(e.offset, e.offset + e.length * 4);
    const copy = new Uint8Array(bytes);
    return e.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
  };
  return {
    found: {
      epochsDone: state.epochsDone,
      history: state.history,
      seconds: state.seconds ?? 0,
      async restore(model, tf) {
        const current = model.getWeights();
        if (current.length !== state.weights.length || current.some((w, i) => w.size !== state.weights[i].length)) {
          throw new Error('checkpoint weights do not fit the model');
        }
        const weights = state.weights.map((e) => tf.tensor(view(e), e.shape, e.dtype));
        const optimizer = state.optimizer.map((e) => ({ name: e.name ?? '', tensor: tf.tensor(view(e), e.shape, e.dtype) }));
        await restoreTraining(model, {
          epoch: state.epochsDone,
          weights,
          optimizer,
          dropoutStreams: state.dropoutStreams ?? {},
          optimizerScalars: state.optimizerScalars ?? {},
        });
        tf.dispose([...weights, ...optimizer.map((n) => n.tensor)]);
      },
      stopper(tf) {
        const s = state.stopper;
        if (s === undefined) return undefined;
        return {
          best: s.best ?? Number.NaN,
          wait: s.wait,
          bestEpoch: s.bestEpoch ?? undefined,
          bestWeights: s.bestWeights === null ? undefined : s.bestWeights.map((e) => tf.tensor(view(e), e.shape, e.dtype)),
        };
      },
    },
  };
}

export function clearCheckpoint(runDir: string): void {
  rmSync(checkpointDir(runDir), { recursive: true, force: true });
}

/** Counts an interrupted attempt's time after its last checkpoint, so a resumed run's seconds cover it. */
export async function recordCheckpointSeconds(runDir: string, seconds: number): Promise<void> {
  const path = join(checkpointDir(runDir), STATE);
  if (!existsSync(path)) return;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as CheckpointState;
    await writeFileAtomic(path, JSON.stringify({ ...state, seconds }));
  } catch {
    // A damaged state is refused on resume anyway.
  }
}
