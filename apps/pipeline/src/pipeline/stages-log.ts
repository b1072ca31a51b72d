import type { StageResult } from '../stages/stage-cache.js';
import type { RunContext } from './context.js';

const SAY: Record<StageResult['status'], string> = {
  built: 'built',
  cached: 'cached, skipped (inputs unchanged)',
  'rebuilt-changed': 'rebuilt (inputs changed)',
  'rebuilt-corrupt': 'rebuilt (cache file corrupted, not trusted)',
};

export function reportStage(ctx: RunContext, name: string, result: StageResult, detail = ''): void {
  ctx.say(`${name}: ${SAY[result.status]} — ${result.table.numRows} rows${detail ? `, ${detail}` : ''} → ${result.path}`);
}
