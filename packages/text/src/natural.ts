import { UnavailableError } from '@seqlearn/dataset';
import { requireModule } from '#platform';

// natural is an optional peer dependency: the Keras-compatible path never loads it, so
// `npm i @seqlearn/text` stays small. Its files are CommonJS and are required by deep path
// on first use (its main entry takes ~0.5 s and prints dotenv banners).

/** Loads `natural/<path>`, or says which package to install when natural is missing. */
export function requireNatural<T>(path: string, feature: string): T {
  try {
    return requireModule(`natural/${path}`) as T;
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new UnavailableError(
        `${feature} needs the optional package "natural", which is not installed; install it with \`npm i natural\``,
        { code: 'ERR_MISSING_PEER', cause },
      );
    }
    throw cause;
  }
}
