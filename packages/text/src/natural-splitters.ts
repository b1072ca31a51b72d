import { InvalidOptionError } from './errors.js';
import { requireNatural } from './natural.js';

/** natural's tokenizers that need no options. */
export type NaturalTokenizerName = 'WordTokenizer' | 'TreebankWordTokenizer' | 'WordPunctTokenizer' | 'AggressiveTokenizer';

/** natural's RegexpTokenizer: split on `pattern` (gaps, the default) or keep its matches. */
export interface RegexpSplitterSpec {
  name: 'RegexpTokenizer';
  /** Source of the regular expression, as in `new RegExp(pattern, flags)`. */
  pattern: string;
  flags?: string;
  /** true: the pattern matches the gaps between tokens; false: it matches the tokens. Default true. */
  gaps?: boolean;
}

/** Any function from a text to its tokens (not serializable: pass it again to `fromJSON`). */
export type SplitFunction = (text: string) => string[];

/** What the Tokenizer's `splitter` option takes. Named splitters are saved in the tokenizer JSON. */
export type SplitterSpec = NaturalTokenizerName | RegexpSplitterSpec | SplitFunction;

interface NaturalTokenizer {
  tokenize(text: string): string[] | null;
}
type NaturalTokenizerClass = new (options?: Record<string, unknown>) => NaturalTokenizer;

const TOKENIZERS = 'lib/natural/tokenizers/';

function naturalClass(name: NaturalTokenizerName | 'RegexpTokenizer'): NaturalTokenizerClass {
  switch (name) {
    case 'WordTokenizer':
    case 'WordPunctTokenizer':
    case 'RegexpTokenizer':
      return requireNatural<Record<string, NaturalTokenizerClass>>(`${TOKENIZERS}regexp_tokenizer.js`, `the ${name} splitter`)[name]!;
    case 'TreebankWordTokenizer':
      return requireNatural<NaturalTokenizerClass>(`${TOKENIZERS}treebank_word_tokenizer.js`, `the ${name} splitter`);
    case 'AggressiveTokenizer':
      return requireNatural<NaturalTokenizerClass>(`${TOKENIZERS}aggressive_tokenizer.js`, `the ${name} splitter`);
  }
}

const NAMES: readonly string[] = ['WordTokenizer', 'TreebankWordTokenizer', 'WordPunctTokenizer', 'AggressiveTokenizer'];

/** Turns a splitter spec into a function, loading the natural tokenizer it names. */
export function createSplitter(spec: SplitterSpec): SplitFunction {
  if (typeof spec === 'function') return spec;
  if (typeof spec === 'string') {
    if (!NAMES.includes(spec)) {
      throw new InvalidOptionError(
        'splitter',
        `unknown splitter "${spec}"; expected one of ${NAMES.join(', ')}, a RegexpTokenizer spec or a function`,
      );
    }
    const tokenizer = new (naturalClass(spec))();
    return (text) => tokenizer.tokenize(text) ?? [];
  }
  if (spec !== null && typeof spec === 'object' && spec.name === 'RegexpTokenizer' && typeof spec.pattern === 'string') {
    const gaps = spec.gaps ?? true;
    let flags = spec.flags ?? '';
    // Without 'g', natural's match mode would return only the first token (and its groups).
    if (!gaps && !flags.includes('g')) flags += 'g';
    let pattern: RegExp;
    try {
      pattern = new RegExp(spec.pattern, flags);
    } catch (cause) {
      throw new InvalidOptionError(
        'splitter',
        `RegexpTokenizer pattern /${spec.pattern}/${flags} is not a valid regular expression: ${(cause as Error).message}`,
      );
    }
    const tokenizer = new (naturalClass('RegexpTokenizer'))({ pattern, gaps });
    return (text) => tokenizer.tokenize(text) ?? [];
  }
  throw new InvalidOptionError('splitter', 'splitter must be a natural tokenizer name, { name: "RegexpTokenizer", pattern } or a function');
}

/** The JSON form of a spec; functions cannot be saved. */
export function splitterToJson(spec: SplitterSpec): NaturalTokenizerName | RegexpSplitterSpec | 'custom' {
  if (typeof spec === 'function') return 'custom';
  if (typeof spec === 'string') return spec;
  const out: RegexpSplitterSpec = { name: 'RegexpTokenizer', pattern: spec.pattern };
  if (spec.flags !== undefined) out.flags = spec.flags;
  if (spec.gaps !== undefined) out.gaps = spec.gaps;
  return out;
}
