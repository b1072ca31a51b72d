import { EXPERIMENTS } from '../experiments/catalog.js';

const DATA: Record<string, string> = {
  imdb: 'IMDB (needs --data-dir)',
  reuters: 'Reuters-21578 keras46 (embedded, or --data-dir)',
  weather: 'weather: Seattle (embedded); PRSA/Jena with --data-dir',
};

export function listCommand(): void {
  const rows = EXPERIMENTS.map((e) => [
    e.id,
    e.model,
    DATA[e.dataset],
    e.bookFigure,
    e.bookValue === undefined ? '—' : `${e.metric} ${e.bookValue}`,
  ]);
  const head = ['experiment', 'model', 'data', "book's figure", "book's number"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${[line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`);
}
