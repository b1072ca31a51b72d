import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { writeReport } from '../report/html-report.js';

export async function reportCommand(runDir: string): Promise<void> {
  const dir = resolve(runDir);
  for (const file of ['results.json', 'history.json']) {
    if (!existsSync(join(dir, file)))
      throw new UserError(`${dir} is not a finished run: ${file} is missing (run "seqlearn run <experiment> --out ${runDir}" first)`);
  }
  process.stdout.write(`report: ${resolve(await writeReport(dir))}\n`);
}
