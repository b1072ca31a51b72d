import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import type { BundleConfig } from '@seqlearn/models';

// Every workspace package exports its TypeScript source under this condition; esbuild compiles
// it directly, so the page never depends on a stale dist/ build.
const SOURCE_CONDITION = '@seqlearn/source';

/** The files a page loads and their sizes in bytes, raw and gzipped. */
export interface WebPageFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface WebPage {
  dir: string;
  /** The page's own script: seqlearn's packages, bundled; tfjs not included. */
  script: WebPageFile;
  /** TensorFlow.js's browser build, loaded before the script. */
  tfjs: WebPageFile;
  /** The bundle's files, copied beside the page. */
  bundleBytes: number;
}

// The page loads tfjs's own browser build (tf.min.js) and the script takes tfjs from it, so the
// script holds only seqlearn's code and a browser caches tfjs apart from it.
const tfjsFromPage: Plugin = {
  name: 'tfjs-from-page',
  setup(b) {
    b.onResolve({ filter: /^@tensorflow\/tfjs$/ }, () => ({ path: 'tf', namespace: 'page-global' }));
    b.onLoad({ filter: /.*/, namespace: 'page-global' }, () => ({ contents: 'module.exports = globalThis.tf;', loader: 'js' }));
  },
};

function sizes(dir: string, file: string): WebPageFile {
  const bytes = readFileSync(join(dir, file));
  return { file, bytes: bytes.byteLength, gzipBytes: gzipSync(bytes, { level: 9 }).byteLength };
}

function folderBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((total, name) => {
    const info = statSync(join(dir, name));
    return info.isFile() ? total + info.size : total;
  }, 0);
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function pageHtml(title: string, config: BundleConfig): string {
  const labels = config.task === 'text' && config.labels !== undefined ? config.labels.join(' / ') : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  textarea { width: 100%; min-height: 8rem; font: inherit; padding: .5rem; box-sizing: border-box; }
  #status { color: #666; } body[data-state="error"] #status { color: #b00; }
  #prediction, #forecast { margin-top: 1rem; padding: .75rem 1rem; background: #f4f6f8; border-radius: .5rem; }
  #label, #forecast-value { font-size: 1.4rem; font-weight: 600; }
  #scores { list-style: none; padding: 0; margin: .5rem 0 0; }
  #scores li { position: relative; padding: .1rem .4rem; }
  #scores .bar { position: absolute; left: 0; top: 0; bottom: 0; background: #4c78a8; opacity: .25; border-radius: .2rem; }
  #window-error { color: #b00; }
</style>
</head>
<body data-state="loading">
<h1>${escapeHtml(title)}</h1>
<p id="status">Loading…</p>
<section id="text-ui" hidden>
  <label for="text">Type a text${labels === '' ? '' : ` (${escapeHtml(labels)})`}:</label>
  <textarea id="text" disabled></textarea>
  <div id="prediction" hidden><span id="label"></span> <span id="probability"></span><ul id="scores"></ul></div>
</section>
<section id="series-ui" hidden>
  <label for="window" id="window-help">Paste a window:</label>
  <textarea id="window" disabled></textarea>
  <p id="window-error"></p>
  <div id="forecast" hidden><span id="forecast-value"></span></div>
</section>
<script src="tf.min.js"></script>
<script src="app.js"></script>
</body>
</html>
`;
}

/** TensorFlow.js's minified browser build (ES2017), from the installed @tensorflow/tfjs. */
function tfjsBrowserBuild(): string {
  const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs');
  return join(dirname(main), 'tf.es2017.min.js');
}

/** The page's script source beside this module: page.ts from a checkout, page.js from dist/. */
function pageEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), here.endsWith('.ts') ? 'page.ts' : 'page.js');
}

/**
 * Writes a static page into `outDir` that loads the bundle at `bundleDir` (copied to
 * `outDir/bundle/`) and predicts in the browser: `index.html`, `app.js` (seqlearn's packages
 * bundled by esbuild for the browser) and `tf.min.js` (TensorFlow.js's own browser build).
 */
export async function writeWebPage(bundleDir: string, outDir: string, title: string, config: BundleConfig): Promise<WebPage> {
  mkdirSync(outDir, { recursive: true });
  rmSync(join(outDir, 'bundle'), { recursive: true, force: true });
  cpSync(bundleDir, join(outDir, 'bundle'), { recursive: true });
  cpSync(tfjsBrowserBuild(), join(outDir, 'tf.min.js'));
  await build({
    entryPoints: [pageEntry()],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    conditions: [SOURCE_CONDITION],
    plugins: [tfjsFromPage],
    logLevel: 'silent',
  });
  writeFileSync(join(outDir, 'index.html'), pageHtml(title, config));
  return {
    dir: outDir,
    script: sizes(outDir, 'app.js'),
    tfjs: sizes(outDir, 'tf.min.js'),
    bundleBytes: folderBytes(join(outDir, 'bundle')),
  };
}
