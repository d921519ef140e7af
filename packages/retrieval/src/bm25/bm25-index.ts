import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, isPlainObject, optionsObject, positiveInteger } from '../argument-checks.js';
import { resolveAnalyzer, type Analyzer, type AnalyzerName } from '../analyzers/analyzer.js';
import { cjkAnalyzer } from '../analyzers/cjk.js';
import { englishAnalyzer } from '../analyzers/english.js';
import { simpleAnalyzer } from '../analyzers/simple.js';
import { joinParts } from '../snapshot-codec.js';
import { BM25Scoring } from './bm25-scoring.js';
import { BM25Search } from './bm25-search.js';
import { bm25SnapshotParts, readBM25Snapshot, type BM25Settings } from './bm25-snapshot.js';
import { InvertedIndex } from './inverted-index.js';
import { SimpleTermScanner } from './simple-term-scanner.js';
import type { ScoredId } from './top-k-heap.js';

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

/**
 * Exact BM25 (BM25F with several fields) over an inverted index that accepts adds, updates and
 * removals at any time, without a rebuild. The formula is in bm25-scoring.ts, the data layout in
 * inverted-index.ts, the search in bm25-search.ts and the snapshot format in bm25-snapshot.ts;
 * this class analyzes documents and queries and checks what callers pass.
 *
 * Scores are float64 with exact document lengths (no Lucene-style 1-byte length quantisation). A
 * query term that occurs twice counts twice (qtf), as in Lucene's boolean OR of term clauses and in
 * wink-bm25. With several fields this is BM25F (Robertson, Zaragoza & Taylor 2004). A document
 * with no terms after analysis is indexed: it counts in N and, with length 0, in avgdl, and no
 * query matches it. Final scores are always summed in one order (qtf·idf descending), so pruned
 * and exhaustive search, and an index built incrementally or afresh, return bit-identical hits.
 */
export class BM25Index<M = unknown> {
  readonly k1: number;
  readonly b: number;
  readonly fieldNames: readonly string[];
  private readonly analyze: Analyzer;
  private readonly scoring: BM25Scoring;
  /** Set when the analyzer is `simple`: indexes plain-text documents without token strings. */
  private readonly scanner: SimpleTermScanner | undefined;
  private readonly index: InvertedIndex<M>;
  private readonly searcher: BM25Search<M>;

  constructor(options: BM25Options = {}) {
    const { k1 = 1.2, b = 0.75, fields = { text: 1 } } = optionsObject(options, 'BM25Index options');
    if (typeof k1 !== 'number' || !Number.isFinite(k1) || k1 < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `k1 must be a finite number ≥ 0, got ${describeValue(k1)}.`);
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0 || b > 1) throw new ChunkwiseError('INVALID_ARGUMENT', `b must be between 0 and 1, got ${describeValue(b)}.`);
    if (!isPlainObject(fields)) throw new ChunkwiseError('INVALID_ARGUMENT', 'fields must be an object of weights, e.g. { text: 1, title: 2 }.');
    const names = Object.keys(fields);
    if (names.length === 0) throw new ChunkwiseError('INVALID_ARGUMENT', 'fields needs at least one field, e.g. { text: 1 }.');
    for (const name of names) {
      const weight = fields[name] as number;
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `Field weight for "${name}" must be a finite number > 0, got ${describeValue(weight)}.`);
      }
    }
    this.k1 = k1;
    this.b = b;
    this.fieldNames = names;
    this.scoring = new BM25Scoring(k1, b, Float64Array.from(names.map((name) => fields[name] as number)));
    this.analyze = resolveAnalyzer(options.analyzer);
    this.scanner = this.analyze === simpleAnalyzer ? new SimpleTermScanner() : undefined;
    this.index = new InvertedIndex<M>(names.length, this.scanner);
    this.searcher = new BM25Search(this.index, this.scoring);
  }

  /** Number of documents in the index. */
  get size(): number {
    return this.index.size;
  }

  has(id: string): boolean {
    return this.index.slotOf.has(id);
  }

  /** Ids of all documents, in insertion order. */
  ids(): string[] {
    return this.index.ids();
  }

  stats(): BM25Stats {
    const averageLength: Record<string, number> = {};
    const N = this.size;
    this.fieldNames.forEach((name, f) => {
      averageLength[name] = N === 0 ? 0 : (this.index.totalLength[f] as number) / N;
    });
    return { documents: N, terms: this.index.termIds.size, averageLength };
  }

  /** Adds a document; an id that is already indexed is updated, never duplicated. */
  add(id: string, doc: BM25Document, meta?: M): this {
    if (typeof id !== 'string' || id === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'A document id must be a non-empty string.');
    const index = this.index;
    const terms: number[] = [];
    if (this.scanner && typeof doc === 'string') {
      // The `simple` fast path: tokens are counted straight from the text, with no token strings.
      const length = this.scanner.scan(doc, this.newTerm, (term) => index.countTerm(terms, term, 0));
      if (index.slotOf.has(id)) index.remove(id);
      index.commit(id, this.fieldNames.map((_, f) => (f === 0 ? length : 0)), terms, meta);
      return this;
    }
    const fieldTokens = this.tokenizeDocument(id, doc);
    if (index.slotOf.has(id)) index.remove(id);
    // Term frequencies are counted in reusable per-field scratch arrays indexed by term id: no
    // per-term allocation, which is most of what building an index costs.
    fieldTokens.forEach((tokens, f) => {
      for (const token of tokens) index.countTerm(terms, index.termOf(token), f);
    });
    index.commit(
      id,
      fieldTokens.map((tokens) => tokens.length),
      terms,
      meta,
    );
    return this;
  }

  /** Adds many documents, then appends their postings in bulk. */
  addAll(docs: Iterable<{ id: string; doc: BM25Document; meta?: M }>): this {
    if (docs === null || typeof docs !== 'object' || typeof (docs as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'addAll needs an iterable of { id, doc, meta? }.');
    }
    for (const entry of docs) {
      if (entry === null || typeof entry !== 'object') throw new ChunkwiseError('INVALID_ARGUMENT', 'addAll needs an iterable of { id, doc, meta? }.');
      this.add(entry.id, entry.doc, entry.meta);
    }
    this.index.flush();
    return this;
  }

  /** Replaces an existing document; throws NOT_FOUND if the id is not indexed. */
  update(id: string, doc: BM25Document, meta?: M): this {
    if (typeof id !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `A document id must be a string, got ${describeValue(id)}.`);
    if (!this.has(id)) throw new ChunkwiseError('NOT_FOUND', `No document with id "${id}" to update; use add() for new documents.`);
    return this.add(id, doc, meta);
  }

  /** Removes a document; throws NOT_FOUND if the id is not indexed. */
  remove(id: string): this {
    this.index.remove(id);
    return this;
  }

  /** How many documents contain `token` (an analyzed term, as analyzeQuery returns them); 0 if none. */
  documentFrequency(token: string): number {
    if (typeof token !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'documentFrequency needs a term string.');
    const term = this.index.termIds.get(token);
    return term === undefined ? 0 : (this.index.df[term] as number);
  }

  /** The metadata stored with a document. */
  meta(id: string): M | undefined {
    const slot = this.index.slotOf.get(id);
    return slot === undefined ? undefined : this.index.slotMeta[slot];
  }

  /** Analyzes a query with the index's analyzer; the tokens that search() will score. */
  analyzeQuery(query: string): string[] {
    if (typeof query !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'The text to analyze must be a string.');
    return this.analyze(query);
  }

  /**
   * The k best documents for the query, sorted by score (descending) then id (ascending).
   * Documents without any query term are never returned; an empty or stop-word-only query
   * returns `[]`. Top-k uses MaxScore pruning (bm25-search.ts), which never changes results.
   */
  search(query: string, options: BM25SearchOptions<M> = {}): ScoredId[] {
    if (typeof query !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'The query must be a string.');
    const { k = 10, filter, pruning = true } = optionsObject(options, 'Search options');
    positiveInteger(k, 'k');
    if (filter !== undefined && typeof filter !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', 'filter must be a function (id, meta) => boolean.');
    const tokens = this.analyze(query);
    if (!Array.isArray(tokens)) throw new ChunkwiseError('INVALID_ARGUMENT', 'The analyzer must return an array of strings.');
    // An empty or stop-word-only query matches nothing, as in Lucene, MiniSearch and wink.
    if (tokens.length === 0) return [];
    this.index.flush();
    const plan = this.scoring.plan(this.index, tokens);
    if (plan.length === 0 || this.size === 0) return [];
    return pruning ? this.searcher.maxScore(plan, k, filter) : this.searcher.exhaustive(plan, k, filter);
  }

  /**
   * The whole index as bytes: terms, postings, lengths, ids and metadata (as JSON), checksummed.
   * `BM25Index.load(bytes, options)` restores it exactly (bit-identical scores) without
   * re-analyzing any text. Removed documents are compacted away first.
   */
  save(): Uint8Array {
    return joinParts(this.saveParts());
  }

  /**
   * save() as a list of parts whose concatenation is the snapshot. The large parts are views of the
   * index's own arrays (no copy, so saving a big index does not double its memory): write them out
   * before changing the index.
   */
  saveParts(): Uint8Array[] {
    this.index.flush();
    if (this.index.deadCount > 0) this.index.compact();
    return bm25SnapshotParts(this.index, this.settings());
  }

  /**
   * Restores an index saved with save(). The options must describe the same index (k1, b, fields,
   * analyzer); a custom analyzer function cannot be checked, so pass the same one. A damaged or
   * mismatched snapshot → CORRUPT_DATA / INVALID_ARGUMENT. The restored index reads the large
   * arrays straight from `bytes` and never writes into them.
   */
  static load<M = unknown>(bytes: Uint8Array, options: BM25Options = {}): BM25Index<M> {
    const loaded = new BM25Index<M>(options);
    readBM25Snapshot(bytes, loaded.index, loaded.settings());
    return loaded;
  }

  private settings(): BM25Settings {
    return { k1: this.k1, b: this.b, fieldNames: this.fieldNames, weights: this.scoring.weights, analyzer: analyzerName(this.analyze) };
  }

  private readonly newTerm = (token: string): number => this.index.newTerm(token);

  private tokenizeDocument(id: string, doc: BM25Document): string[][] {
    const fieldTokens: string[][] = this.fieldNames.map(() => []);
    if (typeof doc === 'string') {
      fieldTokens[0] = this.analyze(doc);
    } else if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
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
    for (const tokens of fieldTokens) {
      if (!Array.isArray(tokens) || tokens.some((token) => typeof token !== 'string')) {
        throw new ChunkwiseError('INVALID_ARGUMENT', 'The analyzer must return an array of strings.');
      }
    }
    return fieldTokens;
  }
}

function analyzerName(analyzer: Analyzer): string {
  if (analyzer === simpleAnalyzer) return 'simple';
  if (analyzer === englishAnalyzer) return 'english';
  if (analyzer === cjkAnalyzer) return 'cjk';
  return 'custom';
}
