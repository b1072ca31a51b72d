import type { Table } from 'apache-arrow';
import { META, featureNames } from '@seqlearn/dataset';
import { textToWordSequence } from '@seqlearn/text';

/** The value below which `p` percent of the sorted values fall (nearest rank, as numpy's 'lower'). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.floor((p / 100) * (sorted.length - 1))));
  return sorted[rank];
}

export function labelNames(table: Table): string[] {
  return JSON.parse(table.schema.metadata.get(META.labels) ?? '[]') as string[];
}

export function labelColumn(table: Table): Int32Array {
  return Int32Array.from(table.getChild('label')!.toArray() as ArrayLike<number>);
}

export function textColumn(table: Table): string[] {
  return table.getChild('text')!.toArray() as string[];
}

/** Rows per class, in label order. */
export function classCounts(labels: ArrayLike<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

/** What a person checks before training on text: how much, which classes, how long. */
export function describeCorpus(table: Table, source: string): string[] {
  const names = labelNames(table);
  const counts = classCounts(labelColumn(table), names.length);
  const lengths = Float64Array.from(textColumn(table), (t) => textToWordSequence(t).length).sort();
  const shown = names.map((n, i) => `${n} ${counts[i]}`);
  const classes = shown.length > 12 ? `${shown.slice(0, 12).join(', ')}, … (${shown.length - 12} more)` : shown.join(', ');
  const lines = [
    `data: ${source}: ${table.numRows} rows, ${names.length} classes (${classes})`,
    `      words per text: median ${percentile(lengths, 50)}, 95th percentile ${percentile(lengths, 95)}, max ${lengths[lengths.length - 1] ?? 0}`,
  ];
  const decoding = table.schema.metadata.get('seqlearn.decoding');
  if (decoding !== undefined) {
    const info = JSON.parse(decoding) as { fallbackFiles?: number; fallbackEncoding?: string };
    if ((info.fallbackFiles ?? 0) > 0)
      lines.push(`      ${info.fallbackFiles} files were not UTF-8 and were read as ${info.fallbackEncoding ?? 'windows-1252'}`);
  }
  return lines;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export function formatInterval(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}

/** The most common step between consecutive times (the reader records it; older tables get it measured). */
export function seriesInterval(table: Table): number {
  const recorded = table.schema.metadata.get('seqlearn.time');
  if (recorded !== undefined) {
    const info = JSON.parse(recorded) as { intervalMs?: number };
    if (typeof info.intervalMs === 'number' && info.intervalMs > 0) return info.intervalMs;
  }
  const time = table.getChild('time')!.toArray() as ArrayLike<number | bigint>;
  const counts = new Map<number, number>();
  for (let i = 1; i < Math.min(time.length, 10_000); i++) {
    const d = Number(time[i]) - Number(time[i - 1]);
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 1;
}

/** What a person checks before forecasting: the span, the step, what was missing and filled. */
export function describeSeries(table: Table, source: string): string[] {
  const time = table.getChild('time')!;
  const first = Number(time.get(0));
  const last = Number(time.get(table.numRows - 1));
  const lines = [
    `data: ${source}: ${table.numRows} rows, ${iso(first)} → ${iso(last)}, one row every ${formatInterval(seriesInterval(table))}`,
    `      ${featureNames(table).length} features: ${featureNames(table).join(', ')}`,
  ];
  const missing = table.schema.metadata.get('seqlearn.missing');
  if (missing !== undefined) {
    const report = JSON.parse(missing) as { policy: string; missingCells: Record<string, number> };
    const cells = Object.entries(report.missingCells).filter(([, n]) => n > 0);
    lines.push(
      cells.length === 0
        ? '      no missing values'
        : `      missing values (${report.policy}): ${cells.map(([c, n]) => `${c} ${n}`).join(', ')}`,
    );
  }
  const gaps = table.schema.metadata.get('seqlearn.gaps');
  if (gaps !== undefined) {
    const report = JSON.parse(gaps) as { gaps: number; rowsInserted: number };
    if (report.gaps > 0) lines.push(`      ${report.gaps} gaps in the times: ${report.rowsInserted} rows inserted and filled`);
  }
  return lines;
}
