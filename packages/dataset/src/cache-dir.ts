import { homedir, isAbsolute, join, processEnv, resolve } from '#platform';

/**
 * The folder every seqlearn package caches into (downloads, parsed word vectors):
 * 1. `$SEQLEARN_CACHE_DIR`, when set (a relative path is taken from the working directory);
 * 2. else `$XDG_CACHE_HOME/seqlearn`, when XDG_CACHE_HOME is an absolute path (the XDG
 *    spec says a relative one is invalid and must be ignored);
 * 3. else `~/.cache/seqlearn`.
 * Packages keep their files in subfolders of it (`@seqlearn/glove` uses `vectors/`).
 */
export function defaultCacheDir(env: Record<string, string | undefined> = processEnv()): string {
  const own = env.SEQLEARN_CACHE_DIR;
  if (own) return resolve(own);
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(base, 'seqlearn');
}
