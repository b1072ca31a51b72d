import type { BackendInfo } from '@seqlearn/backend';
import type { Progress } from '../progress/progress.js';

/** What every stage of a run shares: where it writes, how it reports, what it runs on. */
export interface RunContext {
  runDir: string;
  progress: Progress;
  /** A line for the person running it (stdout): stages, results, paths. */
  say(line: string): void;
  backend: BackendInfo;
  seed: number;
  dataDir: string | undefined;
}
