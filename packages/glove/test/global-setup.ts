// Builds wasm/parse-lines.wasm before the tests (as `pnpm test` does), so that a bare
// `npx vitest run` also tests the WebAssembly loop rather than only the JavaScript one.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url))], { stdio: 'inherit' });
}
