import { TextTypeError } from './errors.js';

/**
 * The characters Python's `str.isspace()` accepts, which `str.split()` splits on. JavaScript's
 * `\s` differs: it lacks U+001C–U+001F and U+0085 and adds U+FEFF.
 */
function isPythonSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Python's `text.split()` with no arguments: split on runs of whitespace, no empty words. */
export function pythonSplit(text: string): string[] {
  if (typeof text !== 'string') throw new TextTypeError('pythonSplit: text', text);
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (isPythonSpace(text.charCodeAt(i))) {
      if (start >= 0) {
        words.push(text.slice(start, i));
        start = -1;
      }
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) words.push(text.slice(start));
  return words;
}
