import type { SpanScanner } from './span-scanner.js';
import { hashString } from './span-scanner.js';
import { SpanTable, type SpanTableParts } from './span-table.js';

/**
 * Word and document counts keyed by a dense id in first-seen order (the order Keras's
 * `word_counts` OrderedDict inserts new words in). Words come in either as strings or as
 * spans of a text, which are only sliced out when new.
 */
export class Vocabulary {
  table = new SpanTable();
  counts: number[] = [];
  docs: number[] = [];
  private lastDoc: number[] = [];
  documents = 0;

  /** A vocabulary from another's words, totals and table arrays (no word is hashed again). */
  static fromParts(
    words: string[],
    counts: ArrayLike<number>,
    docs: ArrayLike<number>,
    documents: number,
    table: SpanTableParts,
  ): Vocabulary {
    const vocab = new Vocabulary();
    vocab.table = SpanTable.fromParts(words, table);
    vocab.counts = Array.from(counts);
    vocab.docs = Array.from(docs);
    vocab.lastDoc = new Array<number>(words.length).fill(0);
    vocab.documents = documents;
    return vocab;
  }

  get size(): number {
    return this.table.size;
  }

  get words(): readonly string[] {
    return this.table.keys;
  }

  /** Id of `word`, or -1. */
  idOf(word: string): number {
    return this.table.find(word, 0, word.length, hashString(word));
  }

  addDocument(tokens: readonly string[]): void {
    const doc = ++this.documents;
    for (let k = 0; k < tokens.length; k++) {
      const word = tokens[k]!;
      const hash = hashString(word);
      const id = this.table.find(word, 0, word.length, hash);
      if (id < 0) this.addWord(word, hash, doc);
      else this.count(id, doc);
    }
  }

  /** Counts the `count` words the scanner just found in `text`. */
  addScanned(text: string, scanner: SpanScanner, count: number): void {
    const doc = ++this.documents;
    const { starts, ends, hashes, ids } = scanner;
    const table = this.table;
    table.findAll(text, starts, ends, hashes, count, ids);
    const { counts, docs, lastDoc } = this;
    for (let k = 0; k < count; k++) {
      let id = ids[k]!;
      if (id < 0) {
        // New to the table before this text; an earlier occurrence in this text may have added it.
        const start = starts[k]!;
        const end = ends[k]!;
        id = table.find(text, start, end, hashes[k]!);
        if (id < 0) {
          this.addWord(detached(text, start, end), hashes[k]!, doc);
          continue;
        }
      }
      counts[id]!++;
      // A word counts once per document (Keras iterates set(seq)).
      if (lastDoc[id] !== doc) {
        lastDoc[id] = doc;
        docs[id]!++;
      }
    }
  }

  /** Adds a word with given totals (loading saved state); returns its id. */
  addTotals(word: string, count: number, docs: number): number {
    return this.addSpanTotals(word, 0, word.length, hashString(word), count, docs);
  }

  /** addTotals for the word text[start, end) with its hash; the word is sliced out only when new. */
  addSpanTotals(text: string, start: number, end: number, hash: number, count: number, docs: number): number {
    let id = this.table.find(text, start, end, hash);
    if (id < 0) {
      id = this.table.add(start === 0 && end === text.length ? text : detached(text, start, end), hash);
      this.counts.push(count);
      this.docs.push(docs);
      this.lastDoc.push(0);
    } else {
      this.counts[id]! += count;
      this.docs[id]! += docs;
    }
    return id;
  }

  /** Adds another vocabulary's totals; new words are appended in its first-seen order. */
  absorb(other: Vocabulary): void {
    const words = other.words;
    for (let id = 0; id < words.length; id++) this.addTotals(words[id]!, other.counts[id]!, other.docs[id]!);
  }

  /**
   * Ids by count, highest first; Array.prototype.sort is stable like Python's sort, so equal
   * counts keep first-seen order.
   */
  ranked(): number[] {
    const counts = this.counts;
    const ids = Array.from({ length: this.size }, (_, i) => i);
    ids.sort((a, b) => counts[b]! - counts[a]!);
    return ids;
  }

  private addWord(word: string, hash: number, doc: number): void {
    this.table.add(word, hash);
    this.counts.push(1);
    this.docs.push(1);
    this.lastDoc.push(doc);
  }

  private count(id: number, doc: number): void {
    this.counts[id]!++;
    // A word counts once per document (Keras iterates set(seq)).
    if (this.lastDoc[id] !== doc) {
      this.lastDoc[id] = doc;
      this.docs[id]!++;
    }
  }
}

/**
 * text.slice(start, end) as a string of its own. V8 makes slices of 13+ units "sliced strings"
 * that keep the whole parent alive: one long word would otherwise pin its entire review for as
 * long as the vocabulary lives.
 */
function detached(text: string, start: number, end: number): string {
  if (end - start < 13) return text.slice(start, end);
  let out = '';
  for (let i = start; i < end; i += 4096) out += String.fromCharCode(...codeUnits(text, i, Math.min(end, i + 4096)));
  return out;
}

function codeUnits(text: string, start: number, end: number): number[] {
  const units = new Array<number>(end - start);
  for (let i = start; i < end; i++) units[i - start] = text.charCodeAt(i);
  return units;
}
