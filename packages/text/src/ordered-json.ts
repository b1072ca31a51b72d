/**
 * Reads the key order of a flat JSON object. `JSON.parse` cannot be trusted with it:
 * JavaScript objects list integer-like keys ("10", "2") first, in numeric order, but
 * Keras's `word_counts` order decides how equal counts are ranked. The text is first
 * validated by `JSON.parse`, so this scanner only has to walk well-formed input.
 */
export function orderedEntries(json: string): Array<[string, unknown]> | undefined {
  const parsed: unknown = JSON.parse(json);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const object = parsed as Record<string, unknown>;
  const entries: Array<[string, unknown]> = [];
  const seen = new Set<string>();
  KEY.lastIndex = 0;
  let depth = 0;
  let i = 0;
  // Walk string literals and brackets; a string at depth 1 followed by ':' is a key.
  while (i < json.length) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      KEY.lastIndex = i;
      const m = KEY.exec(json)!;
      if (depth === 1 && m[2] === ':') {
        const key = JSON.parse(m[1]!) as string;
        // JSON.parse keeps the last of duplicate keys, Python too, at the first key's position.
        if (!seen.has(key)) {
          seen.add(key);
          entries.push([key, undefined]);
        }
      }
      i = KEY.lastIndex - (m[2] === undefined ? 0 : m[2].length);
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    i++;
  }
  for (const entry of entries) entry[1] = object[entry[0]];
  return entries;
}

const KEY = /("(?:[^"\\]|\\.)*")\s*(:)?/y;
