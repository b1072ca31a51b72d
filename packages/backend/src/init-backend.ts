import * as tfjs from '@tensorflow/tfjs';
import { BackendOptionError, BackendUnavailableError } from './errors.js';
import { registerFileSystemRouter } from './io/file-system-handler.js';
import { envVar, isNode } from '#platform';
import { useProjectKernels } from './kernels/registry.js';

/** The TensorFlow.js module to use: tfjs-node's when it loaded, `@tensorflow/tfjs` otherwise. */
export type Tfjs = typeof tfjs;

/** `node`: tfjs-node (libtensorflow). `cpu`: pure-JS tfjs with the project's kernels. */
export type BackendChoice = 'node' | 'cpu';

export const BACKEND_ENV_VAR = 'SEQLEARN_BACKEND';

export interface BackendInfo {
  /** The active tfjs backend: `tensorflow` (tfjs-node) or `cpu`. */
  name: 'tensorflow' | 'cpu';
  /** True when libtensorflow runs the ops (tfjs-node loaded). */
  native: boolean;
  /** The tfjs module to build models with. */
  tf: Tfjs;
  /** Who decided: automatic detection, the `backend` option, or `SEQLEARN_BACKEND`. */
  decidedBy: 'auto' | 'option' | 'env';
  /** Why tfjs-node is not in use, when it is not. */
  fallbackReason?: string;
  /** Kernels of this project registered for the cpu backend. */
  projectKernels: string[];
  /** True when this call registered the node:fs `file://` model IO (tfjs-node has its own). */
  fileSystemIo: boolean;
}

export interface InitBackendOptions {
  /** Force a backend; wins over `SEQLEARN_BACKEND`. Default: tfjs-node if it loads, else cpu. */
  backend?: BackendChoice;
  /** Told once, with what was chosen and why (the library itself never prints). */
  onChoice?: (info: BackendInfo) => void;
}

/** The cpu backend announces tfjs-node on its first tensor write; it has no flag of its own. */
function silenceNodeBanner(): void {
  const cpu = tfjs.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu !== null && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
}

function readChoice(opts: InitBackendOptions): { choice: BackendChoice | undefined; decidedBy: BackendInfo['decidedBy'] } {
  if (opts.backend !== undefined) {
    if (opts.backend !== 'node' && opts.backend !== 'cpu') {
      throw new BackendOptionError(`initBackend: option backend is "${String(opts.backend)}"; expected "node" or "cpu"`);
    }
    return { choice: opts.backend, decidedBy: 'option' };
  }
  const env = envVar(BACKEND_ENV_VAR)?.trim();
  if (env === undefined || env === '' || env === 'auto') return { choice: undefined, decidedBy: 'auto' };
  if (env !== 'node' && env !== 'cpu') {
    throw new BackendOptionError(`${BACKEND_ENV_VAR}="${env}"; expected "node", "cpu" or unset`);
  }
  return { choice: env, decidedBy: 'env' };
}

async function loadTfjsNode(): Promise<{ tf: Tfjs } | { error: string }> {
  if (!isNode) return { error: 'this runtime is not Node' };
  // A variable specifier keeps tfjs-node out of the type graph: it is optional.
  const specifier = '@tensorflow/tfjs-node';
  try {
    const mod = (await import(specifier)) as Tfjs & { default?: Tfjs };
    return { tf: typeof mod.getBackend === 'function' ? mod : (mod.default as Tfjs) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { error: message.split('\n')[0] ?? message };
  }
}

async function choose(opts: InitBackendOptions): Promise<BackendInfo> {
  const { choice, decidedBy } = readChoice(opts);
  let fallbackReason: string | undefined;

  if (choice !== 'cpu') {
    const loaded = await loadTfjsNode();
    if ('tf' in loaded && (await loaded.tf.setBackend('tensorflow'))) {
      const projectKernels = useProjectKernels();
      return { name: 'tensorflow', native: true, tf: loaded.tf, decidedBy, projectKernels, fileSystemIo: registerFileSystemRouter() };
    }
    fallbackReason =
      'error' in loaded
        ? `@tensorflow/tfjs-node did not load: ${loaded.error}`
        : '@tensorflow/tfjs-node loaded but its "tensorflow" backend did not initialise';
    if (choice === 'node') {
      throw new BackendUnavailableError(
        `${decidedBy === 'env' ? `${BACKEND_ENV_VAR}=node` : 'backend: "node"'} was asked for, but ${fallbackReason}. Install @tensorflow/tfjs-node where libtensorflow can be downloaded, or use "cpu"`,
      );
    }
  } else {
    fallbackReason = `${decidedBy === 'env' ? `${BACKEND_ENV_VAR}=cpu` : 'backend: "cpu"'} was asked for`;
  }

  const projectKernels = useProjectKernels();
  if (!(await tfjs.setBackend('cpu'))) {
    throw new BackendUnavailableError('the tfjs "cpu" backend did not initialise');
  }
  silenceNodeBanner();
  return { name: 'cpu', native: false, tf: tfjs, decidedBy, fallbackReason, projectKernels, fileSystemIo: registerFileSystemRouter() };
}

let chosen: Promise<BackendInfo> | undefined;

/**
 * Picks and initialises the TensorFlow.js backend, once per process: tfjs-node when it
 * loads, otherwise `@tensorflow/tfjs` on `cpu`, with this project's cpu kernels and `file://`
 * model IO registered either way. `SEQLEARN_BACKEND=node|cpu` (or `opts.backend`) forces a
 * choice; forcing `node` where it cannot load throws `BackendUnavailableError`.
 * Later calls return the first call's result; asking them for a different backend throws.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (chosen === undefined) {
    const attempt = choose(opts);
    chosen = attempt;
    attempt.catch(() => {
      if (chosen === attempt) chosen = undefined;
    });
  }
  const info = await chosen;
  if (opts.backend !== undefined && (opts.backend === 'node') !== info.native) {
    throw new BackendOptionError(
      `initBackend: backend "${opts.backend}" was asked for, but this process already runs on "${info.name}" (initBackend chooses once per process)`,
    );
  }
  opts.onChoice?.(info);
  return info;
}
