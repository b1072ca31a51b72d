// Keras's model.summary() for a layers model, in tf.keras 2's layout for a chain of layers
// (line length 65, columns at 45 % and 85 %): name and class, output shape as a Python tuple,
// parameter count, then the totals with thousands separators.

import type { tf } from './tf.js';

const LINE = 65;
const POSITIONS = [Math.floor(LINE * 0.45), Math.floor(LINE * 0.85), LINE];

/** Keras's print_row: each field cut at its column, a space kept before the next. */
function row(fields: string[]): string {
  let line = '';
  fields.forEach((f, i) => {
    if (i > 0) line = `${line.slice(0, -1)} `;
    line += f;
    line = line.slice(0, POSITIONS[i]);
    line += ' '.repeat(POSITIONS[i] - line.length);
  });
  return line;
}

/** A shape as Python prints a tuple: `(None, 32)`, `(None,)`. */
function pythonShape(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

function outputShape(layer: tf.layers.Layer): string {
  let shape: unknown;
  try {
    shape = layer.outputShape;
  } catch {
    return 'multiple';
  }
  if (Array.isArray(shape) && shape.length > 0 && Array.isArray(shape[0]))
    return `[${(shape as (number | null)[][]).map(pythonShape).join(', ')}]`;
  return pythonShape(shape as (number | null)[]);
}

const thousands = (n: number) => n.toLocaleString('en-US');

function countWeights(weights: readonly tf.LayerVariable[]): number {
  const seen = new Set<number>();
  let total = 0;
  for (const w of weights) {
    if (seen.has(w.id)) continue;
    seen.add(w.id);
    total += w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
  }
  return total;
}

/** The summary's lines, as Keras prints them (print them, or join them with '\n'). */
export function summaryLines(model: tf.LayersModel): string[] {
  const lines = [`Model: "${model.name}"`, '_'.repeat(LINE), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(LINE)];
  model.layers.forEach((layer, i) => {
    lines.push(row([`${layer.name} (${layer.getClassName()})`, outputShape(layer), String(layer.countParams())]));
    lines.push((i === model.layers.length - 1 ? '=' : '_').repeat(LINE));
  });
  const trainable = countWeights(model.trainableWeights);
  const frozen = countWeights(model.nonTrainableWeights);
  lines.push(
    `Total params: ${thousands(trainable + frozen)}`,
    `Trainable params: ${thousands(trainable)}`,
    `Non-trainable params: ${thousands(frozen)}`,
    '_'.repeat(LINE),
  );
  return lines;
}

/** Keras's model.summary() as one string. */
export function summary(model: tf.LayersModel): string {
  return summaryLines(model).join('\n');
}
