import type { WordVectors } from './word-vectors.js';

/**
 * Words of a text: letters, digits and marks, with inner apostrophes, hyphens and dots kept
 * ("don't", "well-known", "e.g"). Punctuation and spaces are not words.
 */
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’.-][\p{L}\p{N}\p{M}]+)*/gu;

/** Calls `visit(word, start, end)` for every word of `text`, with its UTF-16 span. */
export function forEachWord(text: string, visit: (word: string, start: number, end: number) => void): void {
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) visit(match[0], match.index, match.index + match[0].length);
}

const NO_IDS = new Int32Array(0);
const CACHE_LIMIT = 200_000;

/**
 * Maps a word of a text to rows of a vector table: the word as written, then lower-cased, then
 * without accents ("Café" → "cafe"), then with ’ as ', and last its parts split at hyphens,
 * apostrophes and dots ("sea-captain" → "sea", "captain"), keeping the parts the table knows.
 * A word with no rows is out of vocabulary and contributes nothing. Answers are cached per word.
 */
export class WordLookup {
  private readonly cache = new Map<string, Int32Array>();

  constructor(readonly vectors: WordVectors) {}

  ids(word: string): Int32Array {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const ids = this.resolve(word);
    // A bounded cache: a stream of unique tokens (ids, hashes) must not grow memory without end.
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, ids);
    return ids;
  }

  private one(word: string): number {
    const vectors = this.vectors;
    let id = vectors.lookup(word);
    if (id >= 0) return id;
    const lower = word.toLowerCase();
    if (lower !== word && (id = vectors.lookup(lower)) >= 0) return id;
    const plain = lower.normalize('NFKD').replace(/\p{M}+/gu, '');
    if (plain !== lower && (id = vectors.lookup(plain)) >= 0) return id;
    const straight = plain.replace(/’/g, "'");
    if (straight !== plain && (id = vectors.lookup(straight)) >= 0) return id;
    return -1;
  }

  private resolve(word: string): Int32Array {
    const id = this.one(word);
    if (id >= 0) return Int32Array.of(id);
    const parts = word.split(/['’.-]/).filter((part) => part.length > 0);
    if (parts.length < 2) return NO_IDS;
    const found: number[] = [];
    for (const part of parts) {
      const partId = this.one(part);
      if (partId >= 0) found.push(partId);
    }
    return found.length === 0 ? NO_IDS : Int32Array.from(found);
  }
}
