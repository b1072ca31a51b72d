// Builds wasm/parse-lines.wasm from asm/ (the SIMD loop that parses the values of text
// vectors files) with the AssemblyScript compiler from the npm registry. Run by `pnpm build`,
// by `pnpm test` and by the glove benchmark; the .wasm is never committed. Without it the
// text parser runs its plain-JavaScript loop (same results, several times slower).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'wasm'), { recursive: true });
const { error, stderr } = await asc.main([
  join(root, 'asm', 'parse-lines.ts'),
  '--outFile',
  join(root, 'wasm', 'parse-lines.wasm'),
  '--optimizeLevel',
  '3',
  '--runtime',
  'stub',
  '--enable',
  'simd',
  '--noAssert',
  '--initialMemory',
  '1',
]);
if (error) {
  process.stderr.write(stderr.toString());
  process.stderr.write(`build-wasm: ${error.message}\n`);
  process.exit(1);
}
