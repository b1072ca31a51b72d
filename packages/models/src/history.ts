import { writeFileAtomic as sharedWriteFileAtomic } from '@seqlearn/dataset';

/** Per-epoch logs: `loss`, metrics such as `acc`, and `val_`-prefixed ones when validating (Keras keys). */
export type Logs = Record<string, number>;

/** What `train` returns and what bundles and `saveHistory` store: the data behind the book's plots. */
export interface History {
  /** 0-based epoch numbers, as Keras's `history.epoch`. */
  epoch: number[];
  /** One array per key, one value per epoch, as Keras's `history.history`. */
  history: Record<string, number[]>;
  params: {
    epochs: number;
    steps: number;
    samples?: number;
    batchSize?: number;
    seed: number;
    metrics: string[];
  };
  /** Set when a callback stopped training early: the last epoch run (0-based). */
  stoppedEpoch?: number;
}

export function appendEpoch(history: History, epoch: number, logs: Logs): void {
  history.epoch.push(epoch);
  for (const [key, value] of Object.entries(logs)) {
    (history.history[key] ??= []).push(value);
  }
}

/** Writes a file whole or not at all (a temporary file, then a rename), creating its folder. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await sharedWriteFileAtomic(path, data, { mkdir: true });
}

/** Saves a history as JSON (atomically). */
export async function saveHistory(path: string, history: History): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(history, null, 2)}\n`);
}
