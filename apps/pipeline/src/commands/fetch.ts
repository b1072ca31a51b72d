import { DATASETS, fetchDataset, type DatasetName } from '@seqlearn/corpora';
import { UserError } from '../errors.js';
import { createProgress, type ProgressTask } from '../progress/progress.js';

export async function fetchCommand(name: string): Promise<void> {
  if (!(name in DATASETS)) throw new UserError(`unknown dataset "${name}"; expected one of ${Object.keys(DATASETS).join(', ')}`);
  const progress = createProgress();
  let task: ProgressTask | undefined;
  const path = await fetchDataset(name as DatasetName, {
    onProgress: (p) => {
      const total = p.totalBytes ?? 0;
      task ??= progress.task(`downloading ${name}`, Math.max(1, Math.round(total / 1e6)), 'MB');
      task.update(Math.round(p.bytes / 1e6));
    },
  });
  task?.finish();
  process.stdout.write(`${name}: ${path}\n`);
}
