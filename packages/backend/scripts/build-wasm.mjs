// Builds wasm/kernels.wasm from asm/ (matrix products, the whole-sequence recurrent passes,
// the segment sum, the gather, max pooling, the token-tap sums, the RMSprop update and the elementwise loops) into one module over a
// shared memory, with the AssemblyScript compiler from the npm registry. Run by `pnpm build`
// and before `pnpm test`; the .wasm is never committed. Without it the kernels run their
// plain-JavaScript loops.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'wasm'), { recursive: true });
const { error, stderr } = await asc.main([
  join(root, 'asm', 'index.ts'),
  '--outFile',
  join(root, 'wasm', 'kernels.wasm'),
  '--optimizeLevel',
  '3',
  '--runtime',
  'stub',
  '--enable',
  'simd',
  '--enable',
  'threads',
  '--noAssert',
  // One shared memory, imported, so that a worker thread's instance of the same module works
  // on the same operands (src/kernels/wasm-threads.ts). Shared memory needs a maximum: 4 GiB.
  '--importMemory',
  '--sharedMemory',
  '--initialMemory',
  '2',
  '--maximumMemory',
  '65536',
]);
if (error) {
  process.stderr.write(stderr.toString());
  process.stderr.write(`build-wasm: ${error.message}\n`);
  process.exit(1);
}
