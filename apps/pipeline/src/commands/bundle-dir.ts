import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { initBackend, type BackendChoice } from '@seqlearn/backend';
import { isBundle, loadBundle, type LoadedBundle } from '@seqlearn/models';
import { UserError } from '../errors.js';

/** A bundle folder given on the command line, checked before TensorFlow.js loads anything. */
export async function openBundle(dir: string, backend: BackendChoice | undefined): Promise<LoadedBundle> {
  const path = resolve(dir);
  if (!existsSync(path)) throw new UserError(`bundle ${path} does not exist`);
  if (!(await isBundle(path))) throw new UserError(`${path} is not a bundle (no bundle.json); a run writes its bundle to <run-dir>/bundle`);
  await initBackend(backend === undefined ? {} : { backend });
  return loadBundle(path);
}
