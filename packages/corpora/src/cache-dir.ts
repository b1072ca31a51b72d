/**
 * The seqlearn cache folder: `$SEQLEARN_CACHE_DIR`, else `$XDG_CACHE_HOME/seqlearn`, else
 * `~/.cache/seqlearn`. Downloads are kept there.
 * @deprecated Import `defaultCacheDir` from `@seqlearn/dataset`; this re-export goes in the next minor release.
 */
export { defaultCacheDir } from '@seqlearn/dataset';
