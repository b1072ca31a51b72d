import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { writeWebPage, type WebPageFile } from '../export/web-page.js';
import { openBundle } from './bundle-dir.js';

export interface ExportFlags {
  web?: string;
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const describeFile = (f: WebPageFile) => `${f.file} ${kB(f.bytes)} (${kB(f.gzipBytes)} gzipped)`;

/** `seqlearn export <bundle> --web <dir>`: a static page that predicts with the bundle in a browser. */
export async function exportCommand(bundleDir: string, flags: ExportFlags): Promise<void> {
  if (flags.web === undefined) throw new UserError('say where the page goes: seqlearn export <bundle-dir> --web <dir>');
  const out = resolve(flags.web);
  const source = resolve(bundleDir);
  if (out === source || out.startsWith(`${source}/`))
    throw new UserError(`--web ${flags.web} is inside the bundle ${source}; choose a folder outside it`);
  // Loading it first checks every file against its sha256 before anything is published.
  const bundle = await openBundle(bundleDir, undefined);
  const config = bundle.config;
  bundle.dispose();
  if (config.task !== 'text' && config.task !== 'series') {
    throw new UserError(
      `this bundle's model takes ${String(config.input ?? 'prepared vectors')}; the page predicts from text and series bundles`,
    );
  }
  // A run's bundle sits in <run-dir>/bundle: the run's name is the better title.
  const name = basename(source) === 'bundle' ? basename(dirname(source)) : basename(source);
  const title = config.task === 'text' ? `${name}: classify a text` : `${name}: forecast from a window`;
  const page = await writeWebPage(source, out, title, config);
  process.stdout.write(
    [
      `page: ${resolve(out, 'index.html')}`,
      `loads: ${describeFile(page.script)}, ${describeFile(page.tfjs)}, bundle/ ${kB(page.bundleBytes)}`,
      `serve the folder over http to open it (browsers do not fetch beside a file:// page), e.g. npx http-server ${flags.web}`,
      '',
    ].join('\n'),
  );
}
