import { ChunkwiseError } from '@chunkwise/core';
import { resolveAnalyzer, type Analyzer, type AnalyzerName } from '../analyzers/analyzer.js';
import { cjkAnalyzer } from '../analyzers/cjk.js';
import { englishAnalyzer } from '../analyzers/english.js';
import { packSnapshot, unpackSnapshot, type SnapshotArray } from '../snapshot-codec.js';
import { simpleAnalyzer } from '../analyzers/simple.js';
import { PostingsArena } from './postings.js';
import { SimpleTermScanner } from './simple-term-scanner.js';
import { TopKHeap, type ScoredId } from './top-k-heap.js';

/** A document: plain text (indexed into the first field) or text per named field. */
export type BM25Document = string | Readonly<Record<string, string>>;

export interface BM25Options {
  /** Term-frequency saturation; default 1.2. */
  k1?: number;
  /** Length normalisation, 0 (none) to 1 (full); default 0.75. */
  b?: number;
  /** 'simple' (default), 'english', 'cjk' or your own `(text) => string[]`. */
  analyzer?: Analyzer | AnalyzerName;
  /**
   * BM25F field weights, e.g. `{ text: 1, title: 2, context: 0.5 }`. Default `{ text: 1 }`.
   * A string document goes into the first field.
   */
  fields?: Readonly<Record<string, number>>;
}

export interface BM25SearchOptions<M> {
  /** How many hits to return; default 10. */
  k?: number;
  /** Keep only documents for which this returns true. */
  filter?: (id: string, meta: M | undefined) => boolean;
  /**
   * MaxScore pruning is on by default and never changes results; `false` scores every posting
   * (term-at-a-time), which is how the tests verify the pruning.
   */
  pruning?: boolean;
}

export interface BM25Stats {
  documents: number;
  terms: number;
  averageLength: Record<string, number>;
}

// Compact the postings once tombstoned slots outnumber a quarter of all slots.
const COMPACT_RATIO = 0.25;
// Upper bounds are compared with this slack so that rounding can never prune a document that
// would have entered the top k.
const BOUND_SLACK = 1 + 1e-9;

/**
 * Exact BM25 (BM25F with several fields) over an inverted index that accepts adds, updates and
 * removals at any time, without a rebuild.
 *
 *   idf(t)   = ln(1 + (N − df + 0.5) / (df + 0.5))
 *   score(d) = Σ_t qtf · idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))
 *
 * in float64 with exact document lengths (no Lucene-style 1-byte length quantisation). A query term
 * that occurs twice counts twice (qtf), as in Lucene's boolean OR of term clauses and in wink-bm25.
 * With several fields this is BM25F (Robertson, Zaragoza & Taylor 2004): tf is replaced by
 * Σ_f w_f · tf_f / (1 − b + b·dl_f/avgdl_f) and the saturation applied once.
 *
 * Top-k search uses MaxScore (Turtle & Flood 1995): terms whose upper bounds together cannot lift a
 * document over the current k-th score only get probed, never scanned. Final scores are always
 * summed in one order (qtf·idf descending), so pruned and exhaustive search, and an index built
 * incrementally or afresh, return bit-identical hits.
 */
export class BM25Index<M = unknown> {
  readonly k1: number;
  readonly b: number;
  readonly fieldNames: readonly string[];
  private readonly weights: Float64Array;
  private readonly analyze: Analyzer;

  private readonly termIds = new Map<string, number>();
  /** Set when the analyzer is `simple`: indexes plain-text documents without token strings. */
  private readonly scanner: SimpleTermScanner | undefined;
  private arena: PostingsArena;
  private df = new Int32Array(64);
  /** Per-document scratch, indexed by term id and sized like df: tf per field and a seen flag. */
  private scratchTf: Float64Array[];
  private scratchSeen = new Uint8Array(64);
  /** Postings not yet appended to their terms: (term, slot, tf per field), flushed before reads. */
  private pendingTerm = new Int32Array(1024);
  private pendingSlot = new Int32Array(1024);
  private pendingTf: Float64Array[];
  private pendingCount = 0;

  private readonly slotOf = new Map<string, number>();
  private slotIds: string[] = [];
  private slotMeta: (M | undefined)[] = [];
  private slotTerms: (ArrayLike<number> | undefined)[] = [];
  /** lengths[f][slot]: number of tokens of the field in the document. */
  private lengths: Float64Array[];
  private alive = new Uint8Array(64);
  private slotCount = 0;
  private deadCount = 0;
  private readonly totalLength: Float64Array;
  /** Scratch for multi-field scoring. */
  private readonly fieldTf: Float64Array;
  private readonly fieldLength: Float64Array;

  constructor(options: BM25Options = {}) {
    const { k1 = 1.2, b = 0.75, fields = { text: 1 } } = options;
    if (!Number.isFinite(k1) || k1 < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `k1 must be a finite number ≥ 0, got ${k1}.`);
    if (!Number.isFinite(b) || b < 0 || b > 1) throw new ChunkwiseError('INVALID_ARGUMENT', `b must be between 0 and 1, got ${b}.`);
    const names = Object.keys(fields);
    if (names.length === 0) throw new ChunkwiseError('INVALID_ARGUMENT', 'fields needs at least one field, e.g. { text: 1 }.');
    for (const name of names) {
      const weight = fields[name] as number;
      if (!Number.isFinite(weight) || weight <= 0) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `Field weight for "${name}" must be a finite number > 0, got ${weight}.`);
      }
    }
    this.k1 = k1;
    this.b = b;
    this.fieldNames = names;
    this.weights = Float64Array.from(names.map((name) => fields[name] as number));
    this.analyze = resolveAnalyzer(options.analyzer);
    this.scanner = this.analyze === simpleAnalyzer ? new SimpleTermScanner() : undefined;
    this.lengths = names.map(() => new Float64Array(64));
    this.scratchTf = names.map(() => new Float64Array(64));
    this.pendingTf = names.map(() => new Float64Array(1024));
    this.arena = new PostingsArena(names.length);
    this.totalLength = new Float64Array(names.length);
    this.fieldTf = new Float64Array(names.length);
    this.fieldLength = new Float64Array(names.length);
  }

  /** Number of documents in the index. */
  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Ids of all documents, in insertion order. */
  ids(): string[] {
    const out: string[] = [];
    for (let slot = 0; slot < this.slotCount; slot++) if (this.alive[slot]) out.push(this.slotIds[slot] as string);
    return out;
  }

  stats(): BM25Stats {
    const averageLength: Record<string, number> = {};
    this.fieldNames.forEach((name, f) => {
      averageLength[name] = this.size === 0 ? 0 : (this.totalLength[f] as number) / this.size;
    });
    return { documents: this.size, terms: this.termIds.size, averageLength };
  }

  /** Adds a document; an id that is already indexed is updated, never duplicated. */
  add(id: string, doc: BM25Document, meta?: M): this {
    if (typeof id !== 'string' || id === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'A document id must be a non-empty string.');
    if (this.scanner && typeof doc === 'string') {
      this.addScanned(this.scanner, id, doc, meta);
      return this;
    }
    const fieldTokens = this.tokenizeDocument(id, doc);
    if (this.slotOf.has(id)) this.remove(id);
    this.insert(id, fieldTokens, meta);
    return this;
  }

  /** Adds many documents, then appends their postings in bulk. */
  addAll(docs: Iterable<{ id: string; doc: BM25Document; meta?: M }>): this {
    for (const { id, doc, meta } of docs) this.add(id, doc, meta);
    this.flush();
    return this;
  }

  /** Replaces an existing document; throws NOT_FOUND if the id is not indexed. */
  update(id: string, doc: BM25Document, meta?: M): this {
    if (!this.slotOf.has(id)) throw new ChunkwiseError('NOT_FOUND', `No document with id "${id}" to update; use add() for new documents.`);
    return this.add(id, doc, meta);
  }

  /** Removes a document; throws NOT_FOUND if the id is not indexed. */
  remove(id: string): this {
    const slot = this.slotOf.get(id);
    if (slot === undefined) throw new ChunkwiseError('NOT_FOUND', `No document with id "${id}" to remove.`, { details: { id } });
    this.slotOf.delete(id);
    this.alive[slot] = 0;
    this.deadCount++;
    const slotTerms = this.slotTerms[slot] as ArrayLike<number>;
    for (let i = 0; i < slotTerms.length; i++) this.df[slotTerms[i] as number] = (this.df[slotTerms[i] as number] as number) - 1;
    for (let f = 0; f < this.fieldNames.length; f++) {
      this.totalLength[f] = (this.totalLength[f] as number) - ((this.lengths[f] as Float64Array)[slot] as number);
    }
    this.slotTerms[slot] = undefined;
    this.slotMeta[slot] = undefined;
    if (this.deadCount > COMPACT_RATIO * this.slotCount && this.deadCount > 64) this.compact();
    return this;
  }

  /** The metadata stored with a document. */
  meta(id: string): M | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.slotMeta[slot];
  }

  /** Analyzes a query with the index's analyzer; the tokens that search() will score. */
  analyzeQuery(query: string): string[] {
    return this.analyze(query);
  }

  /**
   * The k best documents for the query, sorted by score (descending) then id (ascending).
   * Documents without any query term are never returned.
   */
  search(query: string, options: BM25SearchOptions<M> = {}): ScoredId[] {
    const { k = 10, filter, pruning = true } = options;
    if (typeof query !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'The query must be a string.');
    if (!Number.isInteger(k) || k < 1) throw new ChunkwiseError('INVALID_ARGUMENT', `k must be a positive integer, got ${k}.`);
    const tokens = this.analyze(query);
    // An empty or stop-word-only query matches nothing, as in Lucene, MiniSearch and wink.
    if (tokens.length === 0) return [];
    this.flush();
    const plan = this.plan(tokens);
    if (plan.length === 0 || this.size === 0) return [];
    return pruning ? this.searchMaxScore(plan, k, filter) : this.searchExhaustive(plan, k, filter);
  }

  /**
   * The whole index as bytes: terms, postings, lengths, ids and metadata (as JSON), checksummed.
   * `BM25Index.load(bytes, options)` restores it exactly (bit-identical scores) without
   * re-analyzing any text. Removed documents are compacted away first.
   */
  save(): Uint8Array {
    this.flush();
    if (this.deadCount > 0) this.compact();
    const F = this.fieldNames.length;
    const T = this.arena.terms;
    const S = this.slotCount;
    const arena = this.arena;
    const offsets = new Int32Array(T + 1);
    for (let term = 0; term < T; term++) offsets[term + 1] = (offsets[term] as number) + (arena.length[term] as number);
    const total = offsets[T] as number;
    const docs = new Int32Array(total);
    const tfs = this.fieldNames.map(() => new Int32Array(total));
    for (let term = 0; term < T; term++) {
      const from = arena.start[term] as number;
      const end = from + (arena.length[term] as number);
      docs.set(arena.docs.subarray(from, end), offsets[term]);
      tfs.forEach((tf, f) => tf.set((arena.tfs[f] as Int32Array).subarray(from, end), offsets[term]));
    }
    const termOffsets = new Int32Array(S + 1);
    for (let slot = 0; slot < S; slot++) termOffsets[slot + 1] = (termOffsets[slot] as number) + (this.slotTerms[slot] as ArrayLike<number>).length;
    const slotTerms = new Int32Array(termOffsets[S] as number);
    for (let slot = 0; slot < S; slot++) slotTerms.set(this.slotTerms[slot] as ArrayLike<number>, termOffsets[slot]);
    const header: BM25SnapshotHeader = {
      kind: 'bm25',
      k1: this.k1,
      b: this.b,
      fields: [...this.fieldNames],
      weights: Array.from(this.weights),
      analyzer: analyzerName(this.analyze),
      terms: [...this.termIds.keys()],
      ids: this.slotIds.slice(0, S),
      metas: this.slotMeta.slice(0, S).map((meta) => (meta === undefined ? 0 : [meta])),
    };
    const arrays: SnapshotArray[] = [this.df.subarray(0, T), offsets, docs, ...tfs, arena.maxTf.subarray(0, T * F), arena.minLen.subarray(0, T * F)];
    arrays.push(...this.lengths.map((lengths) => lengths.subarray(0, S)), this.totalLength, termOffsets, slotTerms);
    return packSnapshot(header, arrays);
  }

  /**
   * Restores an index saved with save(). The options must describe the same index (k1, b, fields,
   * analyzer); a custom analyzer function cannot be checked, so pass the same one. A damaged or
   * mismatched snapshot → CORRUPT_DATA / INVALID_ARGUMENT.
   */
  static load<M = unknown>(bytes: Uint8Array, options: BM25Options = {}): BM25Index<M> {
    const index = new BM25Index<M>(options);
    const { header, arrays } = unpackSnapshot<BM25SnapshotHeader>(bytes);
    const F = index.fieldNames.length;
    if (header.kind !== 'bm25' || !Array.isArray(header.terms) || !Array.isArray(header.ids) || !Array.isArray(header.metas) || arrays.length !== 8 + 2 * F) {
      throw new ChunkwiseError('CORRUPT_DATA', 'Not a BM25Index snapshot.');
    }
    if (header.k1 !== index.k1 || header.b !== index.b || header.fields.join('\u0000') !== index.fieldNames.join('\u0000') || header.weights.some((w, f) => w !== index.weights[f]) || header.analyzer !== analyzerName(index.analyze)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `The snapshot was saved with other options (k1 ${header.k1}, b ${header.b}, fields ${header.fields.join(', ')}, analyzer ${header.analyzer}).`);
    }
    const T = header.terms.length;
    const S = header.ids.length;
    let at = 0;
    const next = <A extends SnapshotArray>(Type: abstract new (...args: never[]) => A, length: number): A => {
      const array = arrays[at++];
      if (!(array instanceof Type) || array.length !== length) throw new ChunkwiseError('CORRUPT_DATA', 'BM25Index snapshot arrays do not match its header.');
      return array;
    };
    const df = next(Int32Array, T);
    const offsets = next(Int32Array, T + 1);
    const total = offsets[T] as number;
    const docs = next(Int32Array, total);
    const tfs = index.fieldNames.map(() => next(Int32Array, total));
    const maxTf = next(Float64Array, T * F);
    const minLen = next(Float64Array, T * F);
    const lengths = index.fieldNames.map(() => next(Float64Array, S));
    const totalLength = next(Float64Array, F);
    const termOffsets = next(Int32Array, S + 1);
    const slotTerms = next(Int32Array, termOffsets[S] as number);
    for (let term = 0; term < T; term++) {
      const token = header.terms[term];
      if (typeof token !== 'string' || index.termIds.has(token)) throw new ChunkwiseError('CORRUPT_DATA', 'BM25Index snapshot has a bad term list.');
      index.newTerm(token);
    }
    const arena = index.arena;
    arena.docs = docs;
    arena.tfs = tfs;
    arena.start.set(offsets.subarray(0, T));
    for (let term = 0; term < T; term++) arena.length[term] = (offsets[term + 1] as number) - (offsets[term] as number);
    arena.capacity.set(arena.length.subarray(0, T));
    arena.maxTf.set(maxTf);
    arena.minLen.set(minLen);
    arena.used = total;
    index.df.set(df);
    index.ensureSlotCapacity(S);
    lengths.forEach((fieldLengths, f) => (index.lengths[f] as Float64Array).set(fieldLengths));
    index.totalLength.set(totalLength);
    for (let slot = 0; slot < S; slot++) {
      const id = header.ids[slot];
      const meta = header.metas[slot];
      if (typeof id !== 'string' || index.slotOf.has(id) || !(meta === 0 || (Array.isArray(meta) && meta.length === 1))) {
        throw new ChunkwiseError('CORRUPT_DATA', 'BM25Index snapshot has a bad id or metadata list.');
      }
      index.slotIds[slot] = id;
      index.slotMeta[slot] = meta === 0 ? undefined : (meta[0] as M);
      index.slotTerms[slot] = slotTerms.subarray(termOffsets[slot], termOffsets[slot + 1]);
      index.slotOf.set(id, slot);
    }
    index.alive.fill(1, 0, S);
    index.slotCount = S;
    return index;
  }

  // ----- internals -----

  private tokenizeDocument(id: string, doc: BM25Document): string[][] {
    const fieldTokens: string[][] = this.fieldNames.map(() => []);
    if (typeof doc === 'string') {
      fieldTokens[0] = this.analyze(doc);
    } else if (doc !== null && typeof doc === 'object') {
      for (const [name, text] of Object.entries(doc)) {
        const f = this.fieldNames.indexOf(name);
        if (f < 0) {
          throw new ChunkwiseError('INVALID_ARGUMENT', `Document "${id}" has field "${name}", which the index does not define (fields: ${this.fieldNames.join(', ')}).`);
        }
        if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Field "${name}" of document "${id}" must be a string.`);
        fieldTokens[f] = this.analyze(text);
      }
    } else {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Document "${id}" must be a string or an object of field strings.`);
    }
    return fieldTokens;
  }

  private insert(id: string, fieldTokens: string[][], meta: M | undefined): void {
    // Count term frequencies in reusable per-field scratch arrays indexed by term id: no per-term
    // allocation, which is most of what building an index costs.
    const terms: number[] = [];
    fieldTokens.forEach((tokens, f) => {
      for (const token of tokens) {
        let term = this.termIds.get(token);
        if (term === undefined) term = this.newTerm(token);
        this.countTerm(terms, term, f);
      }
    });
    this.commit(id, fieldTokens.map((tokens) => tokens.length), terms, meta);
  }

  /** The `simple` fast path: tokens are counted straight from the text, with no token strings. */
  private addScanned(scanner: SimpleTermScanner, id: string, text: string, meta: M | undefined): void {
    const terms: number[] = [];
    const length = scanner.scan(text, this.newTermCallback, (term) => this.countTerm(terms, term, 0));
    if (this.slotOf.has(id)) this.remove(id);
    this.commit(id, this.fieldNames.map((_, f) => (f === 0 ? length : 0)), terms, meta);
  }

  private readonly newTermCallback = (token: string): number => this.newTerm(token);

  private countTerm(terms: number[], term: number, field: number): void {
    if (this.scratchSeen[term] !== 1) {
      this.scratchSeen[term] = 1;
      terms.push(term);
    }
    const tf = this.scratchTf[field] as Float64Array;
    tf[term] = (tf[term] as number) + 1;
  }

  /** Gives the counted document a slot: lengths, pending postings, df. Clears the scratch. */
  private commit(id: string, fieldLengths: number[], terms: number[], meta: M | undefined): void {
    const F = this.fieldNames.length;
    const slot = this.slotCount++;
    this.ensureSlotCapacity(this.slotCount);
    for (let f = 0; f < F; f++) {
      const length = fieldLengths[f] as number;
      (this.lengths[f] as Float64Array)[slot] = length;
      this.totalLength[f] = (this.totalLength[f] as number) + length;
    }
    if (this.pendingCount + terms.length > this.pendingTerm.length) this.growPending(this.pendingCount + terms.length);
    for (const term of terms) {
      const at = this.pendingCount++;
      this.pendingTerm[at] = term;
      this.pendingSlot[at] = slot;
      for (let f = 0; f < F; f++) {
        const scratch = this.scratchTf[f] as Float64Array;
        (this.pendingTf[f] as Float64Array)[at] = scratch[term] as number;
        scratch[term] = 0;
      }
      this.scratchSeen[term] = 0;
      this.df[term] = (this.df[term] as number) + 1;
    }
    this.slotIds[slot] = id;
    this.slotMeta[slot] = meta;
    this.slotTerms[slot] = terms;
    this.alive[slot] = 1;
    this.slotOf.set(id, slot);
  }

  private growPending(needed: number): void {
    let capacity = this.pendingTerm.length * 2;
    while (capacity < needed) capacity *= 2;
    const grow = <T extends Int32Array | Float64Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.pendingTerm = grow(this.pendingTerm, new Int32Array(capacity));
    this.pendingSlot = grow(this.pendingSlot, new Int32Array(capacity));
    this.pendingTf = this.pendingTf.map((old) => grow(old, new Float64Array(capacity)));
  }

  /**
   * Appends pending postings to their terms in the arena: a counting pass, one reservation per
   * touched term, a scatter of (slot, tf) pairs, then one sequential pass per touched term over its
   * new entries for the bounds. Slots only grow, so appending in pending order keeps every postings
   * list sorted.
   */
  private flush(): void {
    const n = this.pendingCount;
    if (n === 0) return;
    const F = this.fieldNames.length;
    const arena = this.arena;
    const counts = new Int32Array(arena.terms);
    const touched: number[] = [];
    for (let i = 0; i < n; i++) {
      const term = this.pendingTerm[i] as number;
      if (counts[term] === 0) touched.push(term);
      counts[term] = (counts[term] as number) + 1;
    }
    arena.reserve(counts, touched);
    // counts[t] becomes the arena index of the term's next entry.
    for (const term of touched) counts[term] = (arena.start[term] as number) + (arena.length[term] as number);
    const docs = arena.docs;
    for (let f = 0; f < F; f++) {
      const tfs = arena.tfs[f] as Int32Array;
      const pendingTf = this.pendingTf[f] as Float64Array;
      if (f === 0) {
        for (let i = 0; i < n; i++) {
          const term = this.pendingTerm[i] as number;
          const at = counts[term] as number;
          counts[term] = at + 1;
          docs[at] = this.pendingSlot[i] as number;
          tfs[at] = pendingTf[i] as number;
        }
      } else {
        // Second and later fields: same positions, recomputed from the term's (already advanced) cursor.
        for (const term of touched) counts[term] = (arena.start[term] as number) + (arena.length[term] as number);
        for (let i = 0; i < n; i++) {
          const term = this.pendingTerm[i] as number;
          const at = counts[term] as number;
          counts[term] = at + 1;
          tfs[at] = pendingTf[i] as number;
        }
      }
    }
    for (const term of touched) {
      const from = (arena.start[term] as number) + (arena.length[term] as number);
      arena.length[term] = (counts[term] as number) - (arena.start[term] as number);
      arena.updateBounds(term, from, this.lengths);
    }
    this.pendingCount = 0;
  }

  private newTerm(token: string): number {
    const term = this.termIds.size;
    this.termIds.set(token, term);
    this.scanner?.register(token, term);
    this.arena.addTerm();
    if (term >= this.df.length) {
      const size = this.df.length * 2;
      const df = new Int32Array(size);
      df.set(this.df);
      this.df = df;
      const seen = new Uint8Array(size);
      seen.set(this.scratchSeen);
      this.scratchSeen = seen;
      this.scratchTf = this.scratchTf.map((old) => {
        const next = new Float64Array(size);
        next.set(old);
        return next;
      });
    }
    return term;
  }

  private ensureSlotCapacity(needed: number): void {
    if (needed <= this.alive.length) return;
    let capacity = this.alive.length * 2;
    while (capacity < needed) capacity *= 2;
    const alive = new Uint8Array(capacity);
    alive.set(this.alive);
    this.alive = alive;
    this.lengths = this.lengths.map((old) => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    });
  }

  /** Renumbers live documents densely and rebuilds postings without tombstones (order kept). */
  private compact(): void {
    this.flush();
    const F = this.fieldNames.length;
    const newSlot = new Int32Array(this.slotCount).fill(-1);
    let next = 0;
    for (let slot = 0; slot < this.slotCount; slot++) if (this.alive[slot]) newSlot[slot] = next++;
    const lengths = this.lengths.map(() => new Float64Array(Math.max(64, next * 2)));
    const ids: string[] = [];
    const metas: (M | undefined)[] = [];
    const terms: (ArrayLike<number> | undefined)[] = [];
    for (let slot = 0; slot < this.slotCount; slot++) {
      const to = newSlot[slot] as number;
      if (to < 0) continue;
      for (let f = 0; f < F; f++) (lengths[f] as Float64Array)[to] = (this.lengths[f] as Float64Array)[slot] as number;
      ids[to] = this.slotIds[slot] as string;
      metas[to] = this.slotMeta[slot];
      terms[to] = this.slotTerms[slot];
      this.slotOf.set(this.slotIds[slot] as string, to);
    }
    this.arena.compact(newSlot, lengths);
    this.lengths = lengths;
    this.slotIds = ids;
    this.slotMeta = metas;
    this.slotTerms = terms;
    this.alive = new Uint8Array(Math.max(64, next * 2)).fill(1, 0, next);
    this.slotCount = next;
    this.deadCount = 0;
  }

  /** Unique known query terms in first-occurrence order, with their query frequency and idf. */
  private plan(tokens: string[]): QueryTerm[] {
    const N = this.size;
    const byTerm = new Map<number, QueryTerm>();
    for (const token of tokens) {
      const term = this.termIds.get(token);
      if (term === undefined) continue;
      const df = this.df[term] as number;
      if (df === 0) continue;
      const existing = byTerm.get(term);
      if (existing) {
        existing.qtf++;
        continue;
      }
      const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
      byTerm.set(term, { term, qtf: 1, idf, weight: 0, bound: 0 });
    }
    const plan = [...byTerm.values()];
    const avg = this.averageLengths();
    const F = this.fieldNames.length;
    for (const q of plan) {
      q.weight = q.qtf * q.idf;
      const at = q.term * F;
      q.bound = q.weight * this.saturate(this.arena.maxTf.subarray(at, at + F), this.arena.minLen.subarray(at, at + F), avg);
    }
    // Plan order is the summation order of every search path, so it must depend only on the live
    // statistics (never on stale bounds left by removals): qtf·idf descending, ties in query order.
    // It is also a good scanning order for MaxScore, whose bounds grow with idf.
    return plan.sort((a, b) => b.weight - a.weight);
  }

  private averageLengths(): Float64Array {
    const avg = new Float64Array(this.fieldNames.length);
    for (let f = 0; f < avg.length; f++) avg[f] = (this.totalLength[f] as number) / this.size;
    return avg;
  }

  /** tf·(k1+1)/(tf + k1·norm), BM25F-combined across fields; monotone in tf, antitone in length. */
  private saturate(tf: ArrayLike<number>, lengths: ArrayLike<number>, avg: Float64Array): number {
    const { k1, b } = this;
    if (avg.length === 1) {
      const x = (this.weights[0] as number) * (tf[0] as number);
      if (x === 0) return 0;
      return (x * (k1 + 1)) / (x + k1 * (1 - b + (b * (lengths[0] as number)) / (avg[0] as number)));
    }
    let combined = 0;
    for (let f = 0; f < avg.length; f++) {
      const t = tf[f] as number;
      if (t === 0) continue;
      combined += ((this.weights[f] as number) * t) / (1 - b + (b * (lengths[f] as number)) / (avg[f] as number));
    }
    return combined === 0 ? 0 : (combined * (k1 + 1)) / (combined + k1);
  }

  /** qtf·idf·saturate(tf) of the posting at arena index i (document `slot`) of term q. */
  private contribution(q: QueryTerm, i: number, slot: number, avg: Float64Array): number {
    const tfs = this.arena.tfs;
    if (avg.length === 1) {
      // The single-field case, written out: this is the hot loop of every query.
      const x = (this.weights[0] as number) * ((tfs[0] as Int32Array)[i] as number);
      const { k1, b } = this;
      return (q.weight * (x * (k1 + 1))) / (x + k1 * (1 - b + (b * ((this.lengths[0] as Float64Array)[slot] as number)) / (avg[0] as number)));
    }
    const F = avg.length;
    const tf = this.fieldTf;
    const lengths = this.fieldLength;
    for (let f = 0; f < F; f++) {
      tf[f] = (tfs[f] as Int32Array)[i] as number;
      lengths[f] = (this.lengths[f] as Float64Array)[slot] as number;
    }
    return q.weight * this.saturate(tf, lengths, avg);
  }

  /** Term-at-a-time over every posting; sums each document's terms in plan order. */
  private searchExhaustive(plan: QueryTerm[], k: number, filter: BM25SearchOptions<M>['filter']): ScoredId[] {
    const avg = this.averageLengths();
    const scores = new Float64Array(this.slotCount);
    const touched = new Uint8Array(this.slotCount);
    const docs = this.arena.docs;
    for (const q of plan) {
      const end = (this.arena.start[q.term] as number) + (this.arena.length[q.term] as number);
      for (let i = this.arena.start[q.term] as number; i < end; i++) {
        const slot = docs[i] as number;
        if (!this.alive[slot]) continue;
        scores[slot] = (scores[slot] as number) + this.contribution(q, i, slot, avg);
        touched[slot] = 1;
      }
    }
    const heap = new TopKHeap(k);
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (!touched[slot]) continue;
      const id = this.slotIds[slot] as string;
      if (filter && !filter(id, this.slotMeta[slot])) continue;
      heap.offer({ id, score: scores[slot] as number });
    }
    return heap.sorted();
  }

  /**
   * MaxScore in its term-at-a-time form (Turtle & Flood 1995; Moffat & Zobel's "continue"
   * strategy): accumulate the terms with the largest upper bounds first. Once the bounds of all
   * remaining terms together cannot lift a document past the current k-th partial score θ (a lower
   * bound of the final k-th score), stop scanning postings: only documents whose partial score plus
   * that remainder reaches θ can still enter, and just those are scored exactly, by probing every
   * term's postings. Exact scores are summed in plan order, bit-identical to searchExhaustive().
   */
  private searchMaxScore(plan: QueryTerm[], k: number, filter: BM25SearchOptions<M>['filter']): ScoredId[] {
    const avg = this.averageLengths();
    const m = plan.length;
    // remaining[j]: the most that terms plan[j..] can add to any document.
    const remaining = new Float64Array(m + 1);
    for (let j = m - 1; j >= 0; j--) remaining[j] = ((remaining[j + 1] as number) + (plan[j] as QueryTerm).bound) * BOUND_SLACK;
    const partial = new Float64Array(this.slotCount);
    const touchedList: number[] = [];
    const touched = new Uint8Array(this.slotCount);
    // 0 = filter not yet asked, 1 = passes, 2 = rejected.
    const verdict = filter ? new Uint8Array(this.slotCount) : undefined;
    const passes = (slot: number): boolean => {
      if (!verdict || !filter) return true;
      if (verdict[slot] === 0) verdict[slot] = filter(this.slotIds[slot] as string, this.slotMeta[slot]) ? 1 : 2;
      return verdict[slot] === 1;
    };
    let maxPartial = 0;
    let stopAt = m;
    let theta = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < m; j++) {
      if (j > 0 && touchedList.length >= k && (remaining[j] as number) < maxPartial) {
        theta = kthLargest(touchedList, partial, k, passes);
        if ((remaining[j] as number) < theta) {
          stopAt = j;
          break;
        }
      }
      const q = plan[j] as QueryTerm;
      const docs = this.arena.docs;
      const end = (this.arena.start[q.term] as number) + (this.arena.length[q.term] as number);
      for (let i = this.arena.start[q.term] as number; i < end; i++) {
        const slot = docs[i] as number;
        if (!this.alive[slot]) continue;
        const value = (partial[slot] as number) + this.contribution(q, i, slot, avg);
        partial[slot] = value;
        if (value > maxPartial) maxPartial = value;
        if (!touched[slot]) {
          touched[slot] = 1;
          touchedList.push(slot);
        }
      }
    }
    // Survivors: documents that could still reach θ. Their remaining terms are probed in plan
    // order, continuing the same sum, so scores equal the exhaustive path's bit for bit.
    const rest = remaining[stopAt] as number;
    const survivors = touchedList.filter((slot) => (partial[slot] as number) * BOUND_SLACK + rest >= theta && passes(slot)).sort((a, b) => a - b);
    for (let j = stopAt; j < m; j++) {
      const q = plan[j] as QueryTerm;
      const arena = this.arena;
      const end = (arena.start[q.term] as number) + (arena.length[q.term] as number);
      let cursor = arena.start[q.term] as number;
      for (const slot of survivors) {
        cursor = arena.seek(q.term, cursor, slot);
        if (cursor < end && arena.docs[cursor] === slot) partial[slot] = (partial[slot] as number) + this.contribution(q, cursor, slot, avg);
      }
    }
    const heap = new TopKHeap(k);
    for (const slot of survivors) heap.offer({ id: this.slotIds[slot] as string, score: partial[slot] as number });
    return heap.sorted();
  }
}

/** The k-th largest partial score among documents that pass the filter (−∞ if fewer than k). */
function kthLargest(slots: readonly number[], partial: Float64Array, k: number, passes: (slot: number) => boolean): number {
  const values: number[] = [];
  for (const slot of slots) if (passes(slot)) values.push(partial[slot] as number);
  if (values.length < k) return Number.NEGATIVE_INFINITY;
  // Quickselect for the element of rank k − 1 in descending order.
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) > pivot) i++;
      while ((values[j] as number) < pivot) j--;
      if (i <= j) {
        const t = values[i] as number;
        values[i] = values[j] as number;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target] as number;
}

interface QueryTerm {
  term: number;
  qtf: number;
  idf: number;
  /** qtf · idf */
  weight: number;
  /** Upper bound of weight · saturate(tf) over the postings. */
  bound: number;
}

interface BM25SnapshotHeader {
  kind: 'bm25';
  k1: number;
  b: number;
  fields: string[];
  weights: number[];
  analyzer: string;
  terms: string[];
  ids: string[];
  metas: (0 | [unknown])[];
}

function analyzerName(analyzer: Analyzer): string {
  if (analyzer === simpleAnalyzer) return 'simple';
  if (analyzer === englishAnalyzer) return 'english';
  if (analyzer === cjkAnalyzer) return 'cjk';
  return 'custom';
}
