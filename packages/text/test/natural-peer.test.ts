import { describe, expect, it } from 'vitest';
import { UnavailableError, isSeqlearnError } from '@seqlearn/dataset';
import { requireNatural } from '../src/natural.js';

describe('natural, the optional peer', () => {
  it('loads its files on demand', () => {
    const porter = requireNatural<{ stem(word: string): string }>('lib/natural/stemmers/porter_stemmer.js', 'the porter stemmer');
    expect(porter.stem('running')).toBe('run');
  });

  it('names the package to install when it cannot be found', () => {
    try {
      requireNatural('lib/natural/no-such-file.js', 'the porter stemmer');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnavailableError);
      expect(isSeqlearnError(e) && e.code).toBe('ERR_MISSING_PEER');
      expect((e as Error).message).toMatch(/the porter stemmer needs the optional package "natural".*npm i natural/);
    }
  });
});
