import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@seqlearn/dataset';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, cli, startCli } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'seqlearn-resume-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Three topics, each with words of its own among shared ones: a small text data set a user might have. */
function writeTexts(path: string, rows: number): void {
  const rng = createRng(5);
  const shared = Array.from({ length: 300 }, (_, i) => `w${i}`);
  const lines = ['text,label'];
  for (let r = 0; r < rows; r++) {
    const label = r % 3;
    const words = Array.from({ length: 30 }, () =>
      rng.next() < 0.3 ? `t${label}x${rng.nextInt(40)}` : shared[rng.nextInt(shared.length)],
    );
    lines.push(`${words.join(' ')},topic${label}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('seqlearn train: Ctrl-C, then the same command again', () => {
  it('ends with the bundle weights of an uninterrupted run, byte for byte; results.json says it resumed', async () => {
    const data = join(tmp, 'texts.csv');
    writeTexts(data, 450);
    const args = (out: string) => ['train', data, '--epochs', '4', '--batch-size', '16', '--backend', 'cpu', '--out', out];
    const whole = join(tmp, 'whole');
    const resumed = join(tmp, 'resumed');

    const w = await cli(args(whole));
    expect(w.code, w.stderr).toBe(0);

    const run = startCli(args(resumed));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (/^epoch 1\/4: loss/m.test(run.output())) {
          clearInterval(timer);
          run.child.kill('SIGINT');
          resolve();
        }
      }, 20);
      run.child.on('close', () => {
        clearInterval(timer);
        reject(new Error(`finished before it could be interrupted:\n${run.output()}`));
      });
    });
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).not.toMatch(STACK_LINE);
    const state = JSON.parse(readFileSync(join(resumed, 'checkpoint', 'state.json'), 'utf8')) as { epochsDone: number; seconds: number };
    expect(state.epochsDone).toBeGreaterThanOrEqual(1);

    const again = await cli(args(resumed));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`model: resuming from the checkpoint after epoch ${state.epochsDone}/4`);

    expect(
      readFileSync(join(resumed, 'bundle', 'model', 'weights.bin')).equals(readFileSync(join(whole, 'bundle', 'model', 'weights.bin'))),
    ).toBe(true);
    expect(JSON.parse(readFileSync(join(resumed, 'history.json'), 'utf8'))).toEqual(
      JSON.parse(readFileSync(join(whole, 'history.json'), 'utf8')),
    );
    const results = JSON.parse(readFileSync(join(resumed, 'results.json'), 'utf8')) as {
      seconds: number;
      resumed?: { afterEpoch: number; earlierSeconds: number };
    };
    expect(results.resumed?.afterEpoch).toBe(state.epochsDone);
    expect(results.resumed!.earlierSeconds).toBeGreaterThanOrEqual(state.seconds);
    expect(results.seconds).toBeGreaterThan(results.resumed!.earlierSeconds);
  }, 240_000);
});
