import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The seqlearn download cache: `$XDG_CACHE_HOME/seqlearn`, or `~/.cache/seqlearn`. The XDG spec
 * says a relative XDG_CACHE_HOME is invalid and must be ignored.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(base, 'seqlearn');
}
