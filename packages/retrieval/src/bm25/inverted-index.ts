import { ChunkwiseError } from '@chunkwise/core';
import { describeValue } from '../argument-checks.js';
import { Int32Blocks } from './int32-blocks.js';
import { PendingTfs } from './pending-tfs.js';
import { PostingsArena } from './postings.js';
import type { SimpleTermScanner } from './simple-term-scanner.js';

// Compact the postings once tombstoned slots outnumber a quarter of all slots.
const COMPACT_RATIO = 0.25;

/**
 * The data of a BM25 index, without analysis or scoring: the term dictionary, df, every term's
 * postings (one arena), and a slot per document with its id, metadata, field lengths and its
 * terms. Everything of size "postings" or "documents" is a typed array:
 *
 *   postings      docs (Int32) + one tf array (Int32) per field, in the arena   8 B each (one field)
 *   document terms Int32 blocks, document after document (for removals)      4 B each
 *   per document  lengths (Int32 per field), alive flag, start of its terms
 *
 * so the index holds about what its snapshot does. Postings of newly added documents wait as their
 * tfs only (1 B each per field: their terms and slots are the document terms) until a read, a save
 * or a compaction needs them in the arena; a bulk build then lays the arena out once, with exact
 * sizes, instead of re-laying it out as it grows (old and new arena at once, then garbage). A
 * removed document leaves a tombstone (alive 0) until a quarter of the slots are dead; then slots
 * are renumbered and the postings compacted.
 */
export class InvertedIndex<M> {
  readonly fieldCount: number;
  readonly termIds = new Map<string, number>();
  readonly arena: PostingsArena;
  df = new Int32Array(64);

  readonly slotOf = new Map<string, number>();
  slotIds: string[] = [];
  slotMeta: (M | undefined)[] = [];
  /** lengths[f][slot]: tokens of field f in the document. */
  lengths: Int32Array[];
  alive = new Uint8Array(64);
  /** The terms of slot s are docTerms entries docTermStart[s] … docTermStart[s + 1]. */
  docTermStart = new Int32Array(65);
  docTerms = new Int32Blocks();
  slotCount = 0;
  deadCount = 0;
  readonly totalLength: Float64Array;

  /** Per-document scratch, indexed by term id: tf per field and a seen flag. */
  private scratchTf: Int32Array[];
  private scratchSeen = new Uint8Array(64);
  /**
   * Postings not yet appended to their terms: those of slots pendingSlot … slotCount − 1, whose
   * terms are their document terms; pendingTf[f] holds their tfs from docTermStart[pendingSlot] on.
   * Flushed before reads.
   */
  pendingSlot = 0;
  private pendingTf: PendingTfs[];

  constructor(
    fieldCount: number,
    /** Set for the `simple` analyzer: it learns every term, so it can find their ids without strings. */
    private readonly scanner?: SimpleTermScanner,
  ) {
    this.fieldCount = fieldCount;
    this.arena = new PostingsArena(fieldCount);
    this.lengths = Array.from({ length: fieldCount }, () => new Int32Array(64));
    this.scratchTf = Array.from({ length: fieldCount }, () => new Int32Array(64));
    this.pendingTf = Array.from({ length: fieldCount }, () => new PendingTfs());
    this.totalLength = new Float64Array(fieldCount);
  }

  /** Number of live documents. */
  get size(): number {
    return this.slotOf.size;
  }

  /** Ids of all live documents, in slot (insertion) order. */
  ids(): string[] {
    const out: string[] = [];
    for (let slot = 0; slot < this.slotCount; slot++) if (this.alive[slot]) out.push(this.slotIds[slot] as string);
    return out;
  }

  /** The id of a token, created if new. */
  termOf(token: string): number {
    return this.termIds.get(token) ?? this.newTerm(token);
  }

  newTerm(token: string): number {
    const term = this.termIds.size;
    this.termIds.set(token, term);
    this.scanner?.register(token, term);
    this.arena.addTerm();
    if (term >= this.df.length) {
      const size = this.df.length * 2;
      this.df = grown(this.df, new Int32Array(size));
      this.scratchSeen = grown(this.scratchSeen, new Uint8Array(size));
      this.scratchTf = this.scratchTf.map((old) => grown(old, new Int32Array(size)));
    }
    return term;
  }

  /** Counts one occurrence of `term` in `field` of the document being added; `terms` collects distinct terms. */
  countTerm(terms: number[], term: number, field: number): void {
    if (this.scratchSeen[term] !== 1) {
      this.scratchSeen[term] = 1;
      terms.push(term);
    }
    const tf = this.scratchTf[field] as Int32Array;
    tf[term] = (tf[term] as number) + 1;
  }

  /** Gives the counted document a slot: lengths, its terms, pending postings, df. Clears the scratch. */
  commit(id: string, fieldLengths: readonly number[], terms: readonly number[], meta: M | undefined): void {
    const F = this.fieldCount;
    const slot = this.slotCount++;
    this.ensureSlotCapacity(this.slotCount);
    for (let f = 0; f < F; f++) {
      const length = fieldLengths[f] as number;
      (this.lengths[f] as Int32Array)[slot] = length;
      this.totalLength[f] = (this.totalLength[f] as number) + length;
    }
    const termsAt = this.docTermStart[slot] as number;
    const docTerms = this.docTerms;
    docTerms.reserve(termsAt, termsAt + terms.length);
    const pendingAt = termsAt - (this.docTermStart[this.pendingSlot] as number);
    for (const tfs of this.pendingTf) tfs.reserve(pendingAt + terms.length);
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i] as number;
      docTerms.set(termsAt + i, term);
      for (let f = 0; f < F; f++) {
        const scratch = this.scratchTf[f] as Int32Array;
        (this.pendingTf[f] as PendingTfs).set(pendingAt + i, scratch[term] as number);
        scratch[term] = 0;
      }
      this.scratchSeen[term] = 0;
      this.df[term] = (this.df[term] as number) + 1;
    }
    this.docTermStart[slot + 1] = termsAt + terms.length;
    this.slotIds[slot] = id;
    this.slotMeta[slot] = meta;
    this.alive[slot] = 1;
    this.slotOf.set(id, slot);
  }

  /** Tombstones a document and takes it out of df, N and the length totals at once. */
  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (typeof id !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `A document id must be a string, got ${describeValue(id)}.`);
    if (slot === undefined) throw new ChunkwiseError('NOT_FOUND', `No document with id "${id}" to remove.`, { details: { id } });
    this.slotOf.delete(id);
    this.alive[slot] = 0;
    this.deadCount++;
    const end = this.docTermStart[slot + 1] as number;
    for (let i = this.docTermStart[slot] as number; i < end; i++) {
      const term = this.docTerms.get(i);
      this.df[term] = (this.df[term] as number) - 1;
    }
    for (let f = 0; f < this.fieldCount; f++) {
      this.totalLength[f] = (this.totalLength[f] as number) - ((this.lengths[f] as Int32Array)[slot] as number);
    }
    this.slotMeta[slot] = undefined;
    if (this.deadCount > COMPACT_RATIO * this.slotCount && this.deadCount > 64) this.compact();
  }

  /** Average field lengths over the live documents. */
  averageLengths(): Float64Array {
    const avg = new Float64Array(this.fieldCount);
    for (let f = 0; f < avg.length; f++) avg[f] = (this.totalLength[f] as number) / this.size;
    return avg;
  }

  /**
   * Appends pending postings to their terms in the arena: a counting pass, one reservation per
   * touched term (on an empty arena: one layout with exact sizes), a scatter of (slot, tf) pairs,
   * then one sequential pass per touched term over its new entries for the bounds. Slots only
   * grow, so appending in slot order keeps every postings list sorted.
   */
  flush(): void {
    const first = this.pendingSlot;
    const from = this.docTermStart[first] as number;
    const to = this.docTermStart[this.slotCount] as number;
    if (to === from) {
      this.pendingSlot = this.slotCount;
      return;
    }
    const F = this.fieldCount;
    const arena = this.arena;
    const docTerms = this.docTerms;
    const counts = new Int32Array(arena.terms);
    const touched: number[] = [];
    for (let i = from; i < to; i++) {
      const term = docTerms.get(i);
      if (counts[term] === 0) touched.push(term);
      counts[term] = (counts[term] as number) + 1;
    }
    arena.reserve(counts, touched);
    const cursor = new Int32Array(arena.terms);
    for (let f = 0; f < F; f++) {
      // Every field writes the same positions: restart each touched term's cursor at its end.
      for (const term of touched) cursor[term] = (arena.start[term] as number) + (arena.length[term] as number);
      const tfs = arena.tfs[f] as Int32Array;
      const pendingTf = this.pendingTf[f] as PendingTfs;
      const docs = arena.docs;
      for (let slot = first; slot < this.slotCount; slot++) {
        const end = this.docTermStart[slot + 1] as number;
        for (let i = this.docTermStart[slot] as number; i < end; i++) {
          const term = docTerms.get(i);
          const at = cursor[term] as number;
          cursor[term] = at + 1;
          if (f === 0) docs[at] = slot;
          tfs[at] = pendingTf.get(i - from);
        }
      }
    }
    for (const term of touched) {
      const start = (arena.start[term] as number) + (arena.length[term] as number);
      arena.length[term] = (cursor[term] as number) - (arena.start[term] as number);
      arena.updateBounds(term, start, this.lengths);
    }
    this.pendingSlot = this.slotCount;
    this.pendingTf = this.pendingTf.map(() => new PendingTfs());
  }

  /** Renumbers live documents densely and rebuilds postings and document terms without tombstones (order kept). */
  compact(): void {
    this.flush();
    const F = this.fieldCount;
    const newSlot = new Int32Array(this.slotCount).fill(-1);
    let next = 0;
    let termCount = 0;
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (!this.alive[slot]) continue;
      newSlot[slot] = next++;
      termCount += (this.docTermStart[slot + 1] as number) - (this.docTermStart[slot] as number);
    }
    const capacity = Math.max(64, next + (next >> 3));
    const lengths = this.lengths.map(() => new Int32Array(capacity));
    const docTermStart = new Int32Array(capacity + 1);
    const docTerms = new Int32Blocks();
    docTerms.reserve(0, termCount);
    const ids: string[] = [];
    const metas: (M | undefined)[] = [];
    for (let slot = 0; slot < this.slotCount; slot++) {
      const to = newSlot[slot] as number;
      if (to < 0) continue;
      for (let f = 0; f < F; f++) (lengths[f] as Int32Array)[to] = (this.lengths[f] as Int32Array)[slot] as number;
      const from = this.docTermStart[slot] as number;
      const end = this.docTermStart[slot + 1] as number;
      const at = docTermStart[to] as number;
      for (let i = from; i < end; i++) docTerms.set(at + i - from, this.docTerms.get(i));
      docTermStart[to + 1] = at + end - from;
      ids[to] = this.slotIds[slot] as string;
      metas[to] = this.slotMeta[slot];
      this.slotOf.set(this.slotIds[slot] as string, to);
    }
    this.arena.compact(newSlot, lengths);
    this.lengths = lengths;
    this.docTermStart = docTermStart;
    this.docTerms = docTerms;
    this.slotIds = ids;
    this.slotMeta = metas;
    this.alive = new Uint8Array(capacity).fill(1, 0, next);
    this.slotCount = next;
    this.pendingSlot = next;
    this.deadCount = 0;
  }

  /** Makes room for `needed` slots. */
  ensureSlotCapacity(needed: number): void {
    if (needed <= this.alive.length) return;
    let capacity = Math.max(64, this.alive.length * 2);
    while (capacity < needed) capacity *= 2;
    this.alive = grown(this.alive, new Uint8Array(capacity));
    this.docTermStart = grown(this.docTermStart, new Int32Array(capacity + 1));
    this.lengths = this.lengths.map((old) => grown(old, new Int32Array(capacity)));
  }
}

/** `next` with the start of `old` copied in. */
function grown<T extends Int32Array | Uint8Array>(old: T, next: T): T {
  next.set(old.subarray(0, Math.min(old.length, next.length)));
  return next;
}
