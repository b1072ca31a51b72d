import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PACKAGES = ['dataset', 'text', 'encoding', 'glove', 'timeseries', 'corpora', 'backend', 'models'] as const;
type Name = (typeof PACKAGES)[number];
/** Packages in build order: each level only needs the levels before it. */
const BUILD_LEVELS: readonly (readonly Name[])[] = [
  ['dataset'],
  ['text', 'timeseries', 'corpora', 'backend'],
  ['encoding', 'glove'],
  ['models'],
];
/** The installs that may pull in TensorFlow.js: the compute packages. A data package never does. */
const WITH_TFJS: ReadonlySet<Name> = new Set(['backend', 'models']);
/** Outside the workspace, so nothing resolves through its node_modules; reused between runs. */
const SCRATCH = join(tmpdir(), 'seqlearn-pack-check');
const TARBALLS = join(SCRATCH, 'tarballs');
/** One npm cache for every install (and every run): the second install of a dependency is a copy. */
const NPM_CACHE = process.env.SEQLEARN_PACK_NPM_CACHE ?? join(SCRATCH, 'npm-cache');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const PNPM = process.env.SEQLEARN_PNPM ?? 'pnpm@10.20.0';
const GLOVE_SAMPLE = resolve(ROOT, process.env.SEQLEARN_SHARED_DIR ?? '../shared', 'data/glove.6B.100d.top100k.txt.gz');

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

function manifest(name: Name): Manifest {
  return JSON.parse(readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8')) as Manifest;
}

/** The package and every `@seqlearn/*` package it needs at run time, transitively. */
function closure(name: Name, seen = new Set<Name>()): Set<Name> {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of Object.keys(manifest(name).dependencies ?? {})) {
    if (dep.startsWith('@seqlearn/')) closure(dep.slice('@seqlearn/'.length) as Name, seen);
  }
  return seen;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

function firstExample(name: Name): string {
  const readme = readFileSync(join(ROOT, 'packages', name, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (example === undefined) throw new Error(`packages/${name}/README.md has no \`\`\`ts example`);
  return example;
}

/** Why an example is type-checked but not run here, if it cannot be. */
function notRunnable(name: Name): string | undefined {
  if (name === 'corpora') return 'downloads the IMDB and Reuters archives';
  if (name === 'glove' && !existsSync(GLOVE_SAMPLE)) return `needs ${GLOVE_SAMPLE}`;
  return undefined;
}

/**
 * models' fused layers import tfjs-layers internals by a deep path its declarations do not
 * export; the compute branch moves those layers. Reported, not failed, until that merges.
 */
const PENDING = /node_modules\/@seqlearn\/models\/dist\/(layers|step)\//;

const tarball = new Map<Name, string>();
const sizes = new Map<Name, number>();

beforeAll(async () => {
  mkdirSync(TARBALLS, { recursive: true });
  for (const file of readdirSync(TARBALLS)) rmSync(join(TARBALLS, file), { force: true });
  // Builds every package with its own build script, a dependency level at a time (turbo
  // would need pnpm on PATH, which a plain `npx vitest run` does not have).
  for (const level of BUILD_LEVELS) {
    await Promise.all(
      level.map((name) => run('npm', ['run', '--silent', 'build'], { cwd: join(ROOT, 'packages', name), maxBuffer: 64 << 20 })),
    );
  }
  // pnpm pack rewrites `workspace:*` to the version, as a publish would.
  await inParallel(PACKAGES, 4, async (name) => {
    await run('npx', ['-y', PNPM, 'pack', '--pack-destination', TARBALLS], { cwd: join(ROOT, 'packages', name), maxBuffer: 16 << 20 });
  });
  for (const name of PACKAGES) {
    const { version } = manifest(name);
    const file = join(TARBALLS, `seqlearn-${name}-${version}.tgz`);
    expect(existsSync(file), file).toBe(true);
    tarball.set(name, file);
  }

  await inParallel(PACKAGES, 4, async (name) => {
    const project = join(SCRATCH, 'install', name);
    rmSync(join(project, 'node_modules'), { recursive: true, force: true });
    rmSync(join(project, 'package-lock.json'), { force: true });
    mkdirSync(project, { recursive: true });
    const dependencies: Record<string, string> = { '@types/node': '^20.19.0' };
    // The sibling tarballs are direct dependencies, so npm never asks the registry for
    // an unpublished @seqlearn version.
    for (const dep of closure(name)) dependencies[`@seqlearn/${dep}`] = `file:${tarball.get(dep)}`;
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: `check-${name}`, private: true, type: 'module', dependencies }, null, 2)}\n`,
    );
    // tfjs-node is optional and its install script downloads libtensorflow: leaving optional
    // dependencies out keeps the check offline-friendly and measures the pure-JS install.
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--omit=optional', '--prefer-offline', '--cache', NPM_CACHE, '--loglevel=error'],
      {
        cwd: project,
        maxBuffer: 16 << 20,
      },
    );
    const { stdout } = await run('du', ['-sk', join(project, 'node_modules')]);
    sizes.set(name, Number(stdout.split('\t')[0]) / 1024);
  });
  const table = PACKAGES.map((name) => `${`@seqlearn/${name}`.padEnd(22)} ${sizes.get(name)!.toFixed(1).padStart(7)} MB`).join('\n');
  console.log(`node_modules after \`npm i\` of each tarball (optional dependencies left out):\n${table}`);
  writeFileSync(join(SCRATCH, 'sizes.json'), `${JSON.stringify(Object.fromEntries(sizes), null, 2)}\n`);
});

describe.each(PACKAGES)('@seqlearn/%s, packed and installed with npm', (name) => {
  const project = join(SCRATCH, 'install', name);

  it('ships dist with its declarations for every export', () => {
    const installed = join(project, 'node_modules', '@seqlearn', name);
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
      dependencies?: Record<string, string>;
    };
    for (const [subpath, conditions] of Object.entries(pkg.exports)) {
      for (const condition of ['types', 'default'])
        expect(existsSync(join(installed, conditions[condition]!)), `${subpath} ${condition}`).toBe(true);
    }
    for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) expect(range, dep).not.toMatch(/^workspace:/);
  });

  it(WITH_TFJS.has(name) ? 'pulls in @tensorflow/tfjs' : 'does not pull in @tensorflow/tfjs', () => {
    expect(existsSync(join(project, 'node_modules', '@tensorflow', 'tfjs'))).toBe(WITH_TFJS.has(name));
    if (!WITH_TFJS.has(name)) expect(sizes.get(name)).toBeLessThan(40);
  });

  for (const resolution of ['nodenext', 'bundler'] as const) {
    it(`type-checks and ${resolution === 'nodenext' ? 'runs ' : ''}the README example under moduleResolution ${resolution}`, async () => {
      const dir = join(project, resolution);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'example.ts'), firstExample(name));
      const compilerOptions = {
        target: 'ES2022',
        lib: ['ES2023'],
        strict: true,
        types: ['node'],
        skipLibCheck: false,
        outDir: 'out',
        ...(resolution === 'nodenext'
          ? { module: 'nodenext', moduleResolution: 'nodenext' }
          : { module: 'esnext', moduleResolution: 'bundler', noEmit: true }),
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['example.ts'] }, null, 2));
      // The example's own package.json makes `.js` output ESM, as in a user's project.
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
      const output = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: dir }).then(
        () => '',
        (e: { stdout?: string }) => e.stdout ?? String(e),
      );
      const errors = output.split('\n').filter((line) => / error TS\d+:/.test(line));
      // TensorFlow.js's declarations (and the @webgpu/types they pull in) do not pass a strict
      // check without skipLibCheck: they need DOM types and a global Long. Ours must be clean:
      // the check runs with skipLibCheck off so that an unresolvable import in our .d.ts shows.
      const ours = errors.filter((line) => line.startsWith('example.ts') || line.includes('node_modules/@seqlearn/'));
      const pending = ours.filter((line) => PENDING.test(line));
      if (pending.length > 0)
        console.log(`@seqlearn/${name} (${resolution}): known declaration errors, fixed on the compute branch:\n${pending.join('\n')}`);
      expect(
        ours.filter((line) => !PENDING.test(line)),
        `tsc (${resolution}) for the ${name} README example`,
      ).toEqual([]);
      if (resolution !== 'nodenext') return;
      const skip = notRunnable(name);
      if (skip !== undefined) {
        console.log(`@seqlearn/${name}: README example type-checked, not run (${skip})`);
        return;
      }
      const { stdout } = await run(process.execPath, [join(dir, 'out', 'example.js')], {
        cwd: dir,
        env: { ...process.env, GLOVE: GLOVE_SAMPLE, SEQLEARN_BACKEND: 'cpu' },
        maxBuffer: 16 << 20,
      });
      expect(stdout.length).toBeGreaterThan(0);
    });
  }
});
