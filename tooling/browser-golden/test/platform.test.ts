import { describe, expect, it } from 'vitest';
import { readTable, UnavailableError } from '@seqlearn/dataset';
import { createStemmer } from '@seqlearn/text';
import { md5Hash } from '@seqlearn/encoding';

// The suites beside this one prove the browser builds compute what Keras does; this one proves
// they are the browser builds: what needs Node says so, instead of reaching for node: modules.
describe('the browser builds', () => {
  it('say that reading a file needs Node', async () => {
    await expect(readTable('corpus.arrow')).rejects.toThrow(/readFile needs Node's file system/);
  });

  it('say that natural needs Node', () => {
    expect(() => createStemmer('porter')).toThrow(UnavailableError);
    expect(() => createStemmer('porter')).toThrow(/runs only in Node/);
  });

  it('hash with MD5 without node:crypto (RFC 1321 test suite)', () => {
    expect(md5Hash('').toString(16).padStart(32, '0')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hash('message digest').toString(16).padStart(32, '0')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
  });
});
