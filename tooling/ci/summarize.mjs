// Adds up the JSON reports vitest wrote in every workspace package and prints the
// closing line `N passed, N failed, N skipped`. Exit code: non-zero if anything failed,
// if the test command itself failed (argv[2]), or if no test ran at all.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const commandStatus = Number(process.argv[2] ?? 0);
let passed = 0,
  failed = 0,
  skipped = 0,
  reports = 0;
for (const group of ['packages', 'apps', 'tooling']) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const file = join(group, name, '.vitest-report.json');
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    reports++;
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A suite that failed to load (syntax error, bad import) has no tests to count.
    failed += (report.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
  }
}
if (commandStatus !== 0 && failed === 0) {
  console.log(`the test command exited with status ${commandStatus} outside any counted test`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 || reports === 0 ? 1 : 0);
