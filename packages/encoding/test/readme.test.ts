import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '@seqlearn/vitest-preset/readme';

describe('README', () => {
  it('opens with an example that runs and prints what its comments say', async () => {
    const { readme, expected, printed } = await runReadmeExample(fileURLToPath(new URL('..', import.meta.url)), '@seqlearn/encoding');
    expect(readme.indexOf('```ts')).toBeLessThan(readme.indexOf('\n## '));
    expect(expected.length).toBeGreaterThan(3);
    expect(printed).toEqual(expected);
  });
});
