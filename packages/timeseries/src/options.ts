import { WindowConfigError } from './errors.js';

export function requirePositiveInt(option: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new WindowConfigError(option, `${option} must be a positive integer, got ${value}`);
  }
  return value;
}

export function requireNonNegativeInt(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new WindowConfigError(option, `${option} must be a non-negative integer, got ${value}`);
  }
  return value;
}

/** Folds several integers into one 32-bit seed, so `(seed, epoch, batch)` each get their own stream. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x01000193);
    h = Math.imul(h ^ Math.floor(part / 4294967296), 0x01000193);
    h ^= h >>> 15;
  }
  return h >>> 0;
}
