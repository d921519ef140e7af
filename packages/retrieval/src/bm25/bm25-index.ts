import { ChunkwiseError } from '@chunkwise/core';
import { resolveAnalyzer, type Analyzer, type AnalyzerName } from '../analyzers/analyzer.js';
import { Postings } from './postings.js';
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
 * summed in query-term order, so pruned and exhaustive search return bit-identical hits.
 */
export class BM25Index<M = unknown> {
  readonly k1: number;
  readonly b: number;
  readonly fieldNames: readonly string[];
  private readonly weights: Float64Array;
  private readonly analyze: Analyzer;

  private readonly termIds = new Map<string, number>();
  private readonly postings: Postings[] = [];
  private df = new Int32Array(64);

  private readonly slotOf = new Map<string, number>();
  private slotIds: string[] = [];
  private slotMeta: (M | undefined)[] = [];
  private slotTerms: (Int32Array | undefined)[] = [];
  /** lengths[f][slot]: number of tokens of the field in the document. */
  private lengths: Float64Array[];
  private alive = new Uint8Array(64);
  private slotCount = 0;
  private deadCount = 0;
  private readonly totalLength: Float64Array;

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
    this.lengths = names.map(() => new Float64Array(64));
    this.totalLength = new Float64Array(names.length);
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
    const fieldTokens = this.tokenizeDocument(id, doc);
    if (this.slotOf.has(id)) this.remove(id);
    this.insert(id, fieldTokens, meta);
    return this;
  }

  /** Adds many documents; the index is searchable after each one. */
  addAll(docs: Iterable<{ id: string; doc: BM25Document; meta?: M }>): this {
    for (const { id, doc, meta } of docs) this.add(id, doc, meta);
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
    for (const term of this.slotTerms[slot] as Int32Array) this.df[term] = (this.df[term] as number) - 1;
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
    if (tokens.length === 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `The query ${JSON.stringify(query.slice(0, 80))} has no searchable terms after analysis.`);
    }
    const plan = this.plan(tokens);
    if (plan.length === 0 || this.size === 0) return [];
    return pruning ? this.searchMaxScore(plan, k, filter) : this.searchExhaustive(plan, k, filter);
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
    if (fieldTokens.every((tokens) => tokens.length === 0)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Document "${id}" is empty: it has no terms after analysis.`, { details: { id } });
    }
    return fieldTokens;
  }

  private insert(id: string, fieldTokens: string[][], meta: M | undefined): void {
    const F = this.fieldNames.length;
    const slot = this.slotCount++;
    this.ensureSlotCapacity(this.slotCount);
    // Per-term tf per field for this document.
    const tfByTerm = new Map<number, Float64Array>();
    for (let f = 0; f < F; f++) {
      const tokens = fieldTokens[f] as string[];
      (this.lengths[f] as Float64Array)[slot] = tokens.length;
      this.totalLength[f] = (this.totalLength[f] as number) + tokens.length;
      for (const token of tokens) {
        let term = this.termIds.get(token);
        if (term === undefined) {
          term = this.termIds.size;
          this.termIds.set(token, term);
          this.postings.push(new Postings(F));
          if (term >= this.df.length) {
            const df = new Int32Array(this.df.length * 2);
            df.set(this.df);
            this.df = df;
          }
        }
        let tf = tfByTerm.get(term);
        if (tf === undefined) tfByTerm.set(term, (tf = new Float64Array(F)));
        tf[f] = (tf[f] as number) + 1;
      }
    }
    const lengths = this.lengths.map((column) => column[slot] as number);
    const terms = new Int32Array(tfByTerm.size);
    let i = 0;
    for (const [term, tf] of tfByTerm) {
      (this.postings[term] as Postings).push(slot, tf, lengths);
      this.df[term] = (this.df[term] as number) + 1;
      terms[i++] = term;
    }
    this.slotIds[slot] = id;
    this.slotMeta[slot] = meta;
    this.slotTerms[slot] = terms;
    this.alive[slot] = 1;
    this.slotOf.set(id, slot);
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
    const F = this.fieldNames.length;
    const newSlot = new Int32Array(this.slotCount).fill(-1);
    let next = 0;
    for (let slot = 0; slot < this.slotCount; slot++) if (this.alive[slot]) newSlot[slot] = next++;
    const lengths = this.lengths.map(() => new Float64Array(Math.max(64, next * 2)));
    const ids: string[] = [];
    const metas: (M | undefined)[] = [];
    const terms: (Int32Array | undefined)[] = [];
    for (let slot = 0; slot < this.slotCount; slot++) {
      const to = newSlot[slot] as number;
      if (to < 0) continue;
      for (let f = 0; f < F; f++) (lengths[f] as Float64Array)[to] = (this.lengths[f] as Float64Array)[slot] as number;
      ids[to] = this.slotIds[slot] as string;
      metas[to] = this.slotMeta[slot];
      terms[to] = this.slotTerms[slot];
      this.slotOf.set(this.slotIds[slot] as string, to);
    }
    const tf = new Float64Array(F);
    const docLengths = new Float64Array(F);
    for (let term = 0; term < this.postings.length; term++) {
      const old = this.postings[term] as Postings;
      const fresh = new Postings(F, Math.max(4, old.length));
      for (let i = 0; i < old.length; i++) {
        const to = newSlot[old.docs[i] as number] as number;
        if (to < 0) continue;
        for (let f = 0; f < F; f++) {
          tf[f] = (old.tfs[f] as Float64Array)[i] as number;
          docLengths[f] = (lengths[f] as Float64Array)[to] as number;
        }
        fresh.push(to, tf, docLengths);
      }
      this.postings[term] = fresh;
    }
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
      byTerm.set(term, { postings: this.postings[term] as Postings, qtf: 1, idf, weight: 0, bound: 0 });
    }
    const plan = [...byTerm.values()];
    const avg = this.averageLengths();
    for (const q of plan) {
      q.weight = q.qtf * q.idf;
      q.bound = q.weight * this.saturate(q.postings.maxTf, q.postings.minLen, avg);
    }
    return plan;
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

  /** Term-at-a-time: every posting scored into a dense accumulator. */
  private searchExhaustive(plan: QueryTerm[], k: number, filter: BM25SearchOptions<M>['filter']): ScoredId[] {
    const F = this.fieldNames.length;
    const avg = this.averageLengths();
    const scores = new Float64Array(this.slotCount);
    const touched = new Uint8Array(this.slotCount);
    const tf = new Float64Array(F);
    const lengths = new Float64Array(F);
    for (const q of plan) {
      const p = q.postings;
      for (let i = 0; i < p.length; i++) {
        const slot = p.docs[i] as number;
        if (!this.alive[slot]) continue;
        for (let f = 0; f < F; f++) {
          tf[f] = (p.tfs[f] as Float64Array)[i] as number;
          lengths[f] = (this.lengths[f] as Float64Array)[slot] as number;
        }
        scores[slot] = (scores[slot] as number) + q.weight * this.saturate(tf, lengths, avg);
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

  /** Document-at-a-time MaxScore over postings sorted by slot. */
  private searchMaxScore(plan: QueryTerm[], k: number, filter: BM25SearchOptions<M>['filter']): ScoredId[] {
    const F = this.fieldNames.length;
    const avg = this.averageLengths();
    const m = plan.length;
    // Order by upper bound ascending; prefix[i] bounds the score a document can get from terms 0..i.
    const order = plan.map((_, i) => i).sort((a, b) => (plan[a] as QueryTerm).bound - (plan[b] as QueryTerm).bound);
    const prefix = new Float64Array(m);
    let running = 0;
    order.forEach((qi, i) => {
      running += (plan[qi] as QueryTerm).bound;
      prefix[i] = running * BOUND_SLACK;
    });
    const cursor = new Int32Array(m); // by position in `order`
    const heap = new TopKHeap(k);
    let threshold = Number.NEGATIVE_INFINITY;
    let firstEssential = 0;
    const contribution = new Float64Array(m); // by plan index
    const present = new Uint8Array(m);
    const tf = new Float64Array(F);
    const lengths = new Float64Array(F);
    const slotCount = this.slotCount;

    for (;;) {
      // Next candidate: the smallest slot under an essential cursor.
      let slot = slotCount;
      for (let i = firstEssential; i < m; i++) {
        const p = (plan[order[i] as number] as QueryTerm).postings;
        const c = cursor[i] as number;
        if (c < p.length && (p.docs[c] as number) < slot) slot = p.docs[c] as number;
      }
      if (slot === slotCount) break;
      present.fill(0);
      for (let f = 0; f < F; f++) lengths[f] = (this.lengths[f] as Float64Array)[slot] as number;
      let partial = 0;
      for (let i = firstEssential; i < m; i++) {
        const qi = order[i] as number;
        const p = (plan[qi] as QueryTerm).postings;
        const c = cursor[i] as number;
        if (c < p.length && p.docs[c] === slot) {
          cursor[i] = c + 1;
          for (let f = 0; f < F; f++) tf[f] = (p.tfs[f] as Float64Array)[c] as number;
          const value = (plan[qi] as QueryTerm).weight * this.saturate(tf, lengths, avg);
          contribution[qi] = value;
          present[qi] = 1;
          partial += value;
        }
      }
      if (!this.alive[slot]) continue;
      let pruned = false;
      for (let i = firstEssential - 1; i >= 0; i--) {
        if (partial * BOUND_SLACK + (prefix[i] as number) < threshold) {
          pruned = true;
          break;
        }
        const qi = order[i] as number;
        const p = (plan[qi] as QueryTerm).postings;
        const c = p.seek(cursor[i] as number, slot);
        cursor[i] = c;
        if (c < p.length && p.docs[c] === slot) {
          for (let f = 0; f < F; f++) tf[f] = (p.tfs[f] as Float64Array)[c] as number;
          const value = (plan[qi] as QueryTerm).weight * this.saturate(tf, lengths, avg);
          contribution[qi] = value;
          present[qi] = 1;
          partial += value;
        }
      }
      if (pruned) continue;
      const id = this.slotIds[slot] as string;
      if (filter && !filter(id, this.slotMeta[slot])) continue;
      // Sum in query-term order so the score is bit-identical to the exhaustive path.
      let score = 0;
      for (let qi = 0; qi < m; qi++) if (present[qi]) score += contribution[qi] as number;
      if (heap.offer({ id, score }) && heap.full) {
        threshold = heap.threshold;
        while (firstEssential < m && (prefix[firstEssential] as number) < threshold) firstEssential++;
      }
    }
    return heap.sorted();
  }
}

interface QueryTerm {
  postings: Postings;
  qtf: number;
  idf: number;
  /** qtf · idf */
  weight: number;
  /** Upper bound of weight · saturate(tf) over the postings. */
  bound: number;
}
