/**
 * Words as one string plus end offsets: one string crosses a worker boundary as one block of
 * memory, where an array of strings is cloned string by string.
 */
export interface PackedWords {
  text: string;
  ends: Int32Array;
}

export function packWords(words: readonly string[]): PackedWords {
  const ends = new Int32Array(words.length);
  let end = 0;
  for (let i = 0; i < words.length; i++) ends[i] = end += words[i]!.length;
  return { text: words.join(''), ends };
}

export function unpackWords({ text, ends }: PackedWords): string[] {
  const words = new Array<string>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    words[i] = text.slice(start, ends[i]);
    start = ends[i]!;
  }
  return words;
}
