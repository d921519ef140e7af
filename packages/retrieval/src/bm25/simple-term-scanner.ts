/**
 * The `simple` analyzer fused with the term dictionary, for indexing: it walks the lowercased text
 * once, hashes each run of letters and digits as it goes and finds its term id in an
 * open-addressing table by comparing code units, so the ~2 million tokens of a 15,000-passage
 * corpus never become strings (only new terms do). Building an index was dominated by allocating
 * and hashing those strings. Tokens are exactly `simpleAnalyzer`'s (property-tested).
 */
export class SimpleTermScanner {
  private table = new Int32Array(1 << 16); // term id + 1, 0 = empty
  private termHash = new Int32Array(1024);
  private termStart = new Int32Array(1024);
  private termLength = new Int32Array(1024);
  private pool = new Uint16Array(1 << 16);
  private poolLength = 0;
  private count = 0;

  /** Registers a term created elsewhere (another analyzer path), so ids stay shared. */
  register(term: string, id: number): void {
    let hash = FNV_OFFSET;
    for (let i = 0; i < term.length; i++) hash = Math.imul(hash ^ term.charCodeAt(i), FNV_PRIME);
    this.insert(term, 0, term.length, hash, id);
  }

  /**
   * Calls onTerm(id) for every token of `text` (lowercased here), in order. Unknown tokens are
   * created with newTerm(token), which must return the id it assigned.
   */
  scan(text: string, newTerm: (token: string) => number, onTerm: (id: number) => void): number {
    if (!NON_ASCII.test(text)) return this.scanAscii(text, newTerm, onTerm);
    const lower = text.toLowerCase();
    const n = lower.length;
    let tokens = 0;
    let i = 0;
    while (i < n) {
      let c = lower.charCodeAt(i);
      let width = surrogatePairAt(lower, i, c, n) ? 2 : 1;
      if (!isWordUnit(lower, i, c, width)) {
        i += width;
        continue;
      }
      const start = i;
      let hash = FNV_OFFSET;
      while (i < n) {
        c = lower.charCodeAt(i);
        width = surrogatePairAt(lower, i, c, n) ? 2 : 1;
        if (!isWordUnit(lower, i, c, width)) break;
        hash = Math.imul(hash ^ c, FNV_PRIME);
        if (width === 2) hash = Math.imul(hash ^ lower.charCodeAt(i + 1), FNV_PRIME);
        i += width;
      }
      onTerm(this.lookup(lower, start, i, hash, newTerm));
      tokens++;
    }
    return tokens;
  }

  /**
   * ASCII-only text (most of any English corpus): lowercasing is A–Z → a–z and a word unit is
   * [a-z0-9], so the text is never copied to lowercase; a table maps each code unit to its
   * lowercased word code (0 for separators).
   */
  private scanAscii(text: string, newTerm: (token: string) => number, onTerm: (id: number) => void): number {
    const n = text.length;
    let tokens = 0;
    let i = 0;
    while (i < n) {
      let c = ASCII_WORD[text.charCodeAt(i)] as number;
      if (c === 0) {
        i++;
        continue;
      }
      const start = i;
      let hash = FNV_OFFSET;
      do {
        hash = Math.imul(hash ^ c, FNV_PRIME);
        i++;
        c = i < n ? (ASCII_WORD[text.charCodeAt(i)] as number) : 0;
      } while (c !== 0);
      onTerm(this.lookup(text, start, i, hash, newTerm, true));
      tokens++;
    }
    return tokens;
  }

  /** The id of text[start, end) (already lowercase, or ASCII to lowercase through the table when `ascii`). */
  private lookup(text: string, start: number, end: number, hash: number, newTerm: (token: string) => number, ascii = false): number {
    const mask = this.table.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot] as number;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.termHash[id] !== hash || this.termLength[id] !== length) continue;
      const at = this.termStart[id] as number;
      let same = true;
      for (let k = 0; k < length; k++) {
        const c = text.charCodeAt(start + k);
        if (this.pool[at + k] !== (ascii ? ASCII_WORD[c] : c)) {
          same = false;
          break;
        }
      }
      if (same) return id;
    }
    const token = text.slice(start, end);
    return newTerm(ascii ? token.toLowerCase() : token); // newTerm calls register()
  }

  private insert(text: string, start: number, end: number, hash: number, id: number): void {
    const length = end - start;
    if (id >= this.termHash.length) {
      const grow = (old: Int32Array) => {
        const next = new Int32Array(Math.max(old.length * 2, id + 1));
        next.set(old);
        return next;
      };
      this.termHash = grow(this.termHash);
      this.termStart = grow(this.termStart);
      this.termLength = grow(this.termLength);
    }
    if (this.poolLength + length > this.pool.length) {
      const next = new Uint16Array(Math.max(this.pool.length * 2, this.poolLength + length));
      next.set(this.pool);
      this.pool = next;
    }
    for (let k = 0; k < length; k++) this.pool[this.poolLength + k] = text.charCodeAt(start + k);
    this.termHash[id] = hash;
    this.termStart[id] = this.poolLength;
    this.termLength[id] = length;
    this.poolLength += length;
    this.count++;
    if (this.count * 2 > this.table.length) this.rehash();
    else this.place(hash, id);
  }

  private place(hash: number, id: number): void {
    const mask = this.table.length - 1;
    let slot = hash & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = id + 1;
  }

  /** Term ids are dense (0 … count − 1): every term of the index is registered here. */
  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    for (let id = 0; id < this.count; id++) this.place(this.termHash[id] as number, id);
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const NON_ASCII = /[\u0080-\uffff]/;
/** For code units below 128: the lowercased code of a letter or digit, 0 for anything else. */
const ASCII_WORD = (() => {
  const table = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) table[c] = c;
  for (let c = 97; c <= 122; c++) table[c] = c;
  for (let c = 65; c <= 90; c++) table[c] = c + 32;
  return table;
})();
const FNV_PRIME = 0x01000193;

// [\p{L}\p{N}] for every BMP code unit, computed once with the same regex the analyzer uses.
let bmpWordTable: Uint8Array | undefined;
const ASTRAL_WORD = /^[\p{L}\p{N}]$/u;
const astralCache = new Map<number, boolean>();

function surrogatePairAt(text: string, i: number, c: number, n: number): boolean {
  if (c < 0xd800 || c > 0xdbff || i + 1 >= n) return false;
  const low = text.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}

function isWordUnit(text: string, i: number, c: number, width: number): boolean {
  if (width === 2) {
    const low = text.charCodeAt(i + 1);
    const codePoint = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
    let word = astralCache.get(codePoint);
    if (word === undefined) astralCache.set(codePoint, (word = ASTRAL_WORD.test(String.fromCodePoint(codePoint))));
    return word;
  }
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  bmpWordTable ??= buildBmpTable();
  return bmpWordTable[c] === 1;
}

function buildBmpTable(): Uint8Array {
  const table = new Uint8Array(0x10000);
  const word = /^[\p{L}\p{N}]$/u;
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue; // surrogates: never letters on their own
    if (word.test(String.fromCharCode(c))) table[c] = 1;
  }
  return table;
}
