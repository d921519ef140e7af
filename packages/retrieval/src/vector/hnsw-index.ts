import { ChunkwiseError, seededRandom } from '@chunkwise/core';
import { describeValue, finiteNumber, optionalFunction, optionsObject, positiveInteger, requireIterable, requireObject } from '../argument-checks.js';
import { TopKHeap, type ScoredId } from '../bm25/top-k-heap.js';
import { DistHeap } from './dist-heap.js';
import { assertDimensions, assertMetric, dotAt, prepareVector, squaredL2At, type Metric } from './metric.js';
import type { VectorSearchOptions } from './vector-index.js';

export interface HNSWOptions {
  dimensions: number;
  metric?: Metric;
  /** Links per node on upper layers (layer 0 keeps 2·M); default 16. */
  M?: number;
  /** Candidate list size while inserting; default 200. Higher builds slower and better graphs. */
  efConstruction?: number;
  /** Candidate list size while searching (at least k is used); default 64. Trades speed for recall. */
  efSearch?: number;
  /** Seed of the level generator, so builds are reproducible; default 42. */
  seed?: number;
}

export interface HNSWSearchOptions<M> extends VectorSearchOptions<M> {
  /** Overrides efSearch for this query. */
  efSearch?: number;
}

const MAGIC = 0x43574e48; // "CWNH"
const FORMAT_VERSION = 1;
const METRICS: readonly Metric[] = ['cosine', 'dot', 'l2'];

/**
 * Hierarchical Navigable Small World graph (Malkov & Yashunin, arXiv 1603.09320): approximate
 * nearest neighbours in logarithmic-ish time. Pure TypeScript, so it runs in browsers.
 * Neighbours are chosen with the paper's heuristic (Algorithm 4), which keeps links spread over
 * directions and is what makes recall hold up on clustered data. Removal marks a node deleted: it
 * still routes searches but is never returned; `rebuild()` drops deleted nodes for good.
 */
export class HNSWIndex<M = unknown> {
  readonly dimensions: number;
  readonly metric: Metric;
  readonly M: number;
  readonly efConstruction: number;
  efSearch: number;
  private readonly maxM0: number;
  private readonly levelMult: number;
  private readonly random: () => number;
  private readonly seed: number;

  private vectors: Float32Array;
  private count = 0;
  private ids: string[] = [];
  private metas: (M | undefined)[] = [];
  private levels: number[] = [];
  /**
   * Level-0 neighbour lists, the ones every search walks, in one contiguous array: node n's list
   * starts at n·(2M + 1) ([0] is the count). Upper levels (a few percent of nodes) have their own
   * arrays: upper[n][l − 1].
   */
  private links0: Int32Array;
  private upper: (Int32Array[] | undefined)[] = [];
  private readonly stride0: number;
  /** Reused by every searchLayer call: candidates (nearest on top) and results (farthest on top). */
  private readonly candidates = new DistHeap(false);
  private readonly results = new DistHeap(true);
  private deleted = new Uint8Array(16);
  private deletedCount = 0;
  private readonly nodeOf = new Map<string, number>();
  private entryPoint = -1;
  private maxLevel = -1;

  private visited = new Uint32Array(16);
  private visitStamp = 0;

  constructor(options: HNSWOptions) {
    requireObject(options, 'HNSWIndex options');
    assertDimensions(options.dimensions);
    const metric = options.metric ?? 'cosine';
    assertMetric(metric);
    const { M = 16, efConstruction = 200, efSearch = 64, seed = 42 } = options;
    finiteNumber(seed, 'seed');
    for (const [name, value, min] of [['M', M, 2], ['efConstruction', efConstruction, 1], ['efSearch', efSearch, 1]] as const) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}, got ${describeValue(value)}.`);
    }
    this.dimensions = options.dimensions;
    this.metric = metric;
    this.M = M;
    this.maxM0 = 2 * M;
    this.efConstruction = efConstruction;
    this.efSearch = efSearch;
    this.levelMult = 1 / Math.log(M);
    this.seed = seed;
    this.random = seededRandom(seed);
    this.vectors = new Float32Array(options.dimensions * 16);
    this.stride0 = this.maxM0 + 1;
    this.links0 = new Int32Array(16 * this.stride0);
  }

  /** Live (not deleted) vectors. */
  get size(): number {
    return this.nodeOf.size;
  }

  has(id: string): boolean {
    return this.nodeOf.has(id);
  }

  /** Inserts a vector; an existing id is replaced (the old node is marked deleted). */
  add(id: string, vector: ArrayLike<number>, meta?: M): this {
    if (typeof id !== 'string' || id === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'A vector id must be a non-empty string.');
    const prepared = prepareVector(vector, this.dimensions, this.metric, `Vector "${id}"`);
    if (this.nodeOf.has(id)) this.remove(id);
    this.insert(id, prepared, meta, Math.floor(-Math.log(1 - this.random()) * this.levelMult));
    return this;
  }

  addAll(items: Iterable<{ id: string; vector: ArrayLike<number>; meta?: M }>): this {
    for (const item of requireIterable<{ id: string; vector: ArrayLike<number>; meta?: M }>(items, 'addAll items')) {
      const { id, vector, meta } = requireObject(item, 'Each item') as { id: string; vector: ArrayLike<number>; meta?: M };
      this.add(id, vector, meta);
    }
    return this;
  }

  remove(id: string): this {
    const node = this.nodeOf.get(id);
    if (node === undefined) throw new ChunkwiseError('NOT_FOUND', `No vector with id ${describeValue(id)} to remove.`, { details: { id } });
    this.deleted[node] = 1;
    this.deletedCount++;
    this.nodeOf.delete(id);
    this.metas[node] = undefined;
    return this;
  }

  /** A fresh graph over the live vectors only (after many removals). */
  rebuild(): this {
    const live = [...this.nodeOf.entries()].sort((a, b) => a[1] - b[1]);
    const fresh = new HNSWIndex<M>({ dimensions: this.dimensions, metric: this.metric, M: this.M, efConstruction: this.efConstruction, efSearch: this.efSearch, seed: this.seed });
    for (const [id, node] of live) {
      fresh.insert(id, this.vectors.slice(node * this.dimensions, (node + 1) * this.dimensions), this.metas[node], this.levels[node] as number);
    }
    Object.assign(this, {
      vectors: fresh.vectors, count: fresh.count, ids: fresh.ids, metas: fresh.metas, levels: fresh.levels, links0: fresh.links0, upper: fresh.upper,
      deleted: fresh.deleted, deletedCount: 0, entryPoint: fresh.entryPoint, maxLevel: fresh.maxLevel, visited: fresh.visited,
    });
    this.nodeOf.clear();
    for (const [id, node] of fresh.nodeOf) this.nodeOf.set(id, node);
    return this;
  }

  search(query: ArrayLike<number>, options: HNSWSearchOptions<M> = {}): ScoredId[] {
    const { k = 10, filter, efSearch = this.efSearch } = optionsObject(options, 'Search options');
    positiveInteger(k, 'k');
    positiveInteger(efSearch, 'efSearch');
    optionalFunction(filter, 'filter');
    const ef = Math.max(efSearch, k);
    const q = prepareVector(query, this.dimensions, this.metric, 'The query');
    if (this.entryPoint < 0 || this.size === 0) return [];
    let ep = this.entryPoint;
    let epDist = this.distanceTo(q, ep);
    for (let level = this.maxLevel; level > 0; level--) [ep, epDist] = this.greedy(q, ep, epDist, level);
    const found = this.searchLayer(q, [ep], [epDist], ef, 0);
    const heap = new TopKHeap(k);
    for (const { node, dist } of found) {
      if (this.deleted[node]) continue;
      const id = this.ids[node] as string;
      if (filter && !filter(id, this.metas[node])) continue;
      heap.offer({ id, score: this.toScore(dist) });
    }
    return heap.sorted();
  }

  /** Binary snapshot: vectors, graph, ids and JSON metadata. */
  save(): Uint8Array {
    const encoder = new TextEncoder();
    const idBytes = this.ids.map((id) => encoder.encode(id));
    const metaBytes = this.metas.map((meta, node) => encoder.encode(this.deleted[node] || meta === undefined ? '' : JSON.stringify(meta)));
    let size = 4 * 10;
    for (let node = 0; node < this.count; node++) {
      size += 4 + (idBytes[node] as Uint8Array).length + 4 + (metaBytes[node] as Uint8Array).length + 1 + 4 + 4 * this.dimensions;
      for (let l = 0; l <= (this.levels[node] as number); l++) size += 4 * (1 + (this.list(node, l)[0] as number));
    }
    const bytes = new Uint8Array(size);
    const view = new DataView(bytes.buffer);
    let at = 0;
    const u32 = (value: number) => {
      view.setUint32(at, value >>> 0, true);
      at += 4;
    };
    for (const value of [MAGIC, FORMAT_VERSION, this.dimensions, METRICS.indexOf(this.metric), this.M, this.efConstruction, this.efSearch, this.count, this.entryPoint, this.maxLevel]) {
      view.setInt32(at, value, true);
      at += 4;
    }
    for (let node = 0; node < this.count; node++) {
      for (const chunk of [idBytes[node] as Uint8Array, metaBytes[node] as Uint8Array]) {
        u32(chunk.length);
        bytes.set(chunk, at);
        at += chunk.length;
      }
      bytes[at++] = this.deleted[node] as number;
      u32(this.levels[node] as number);
      for (let i = 0; i < this.dimensions; i++) {
        view.setFloat32(at, this.vectors[node * this.dimensions + i] as number, true);
        at += 4;
      }
      for (let l = 0; l <= (this.levels[node] as number); l++) {
        const list = this.list(node, l);
        const n = list[0] as number;
        for (let i = 0; i <= n; i++) u32(list[i] as number);
      }
    }
    return bytes;
  }

  /** Restores a snapshot written by save(); damaged or foreign bytes throw CORRUPT_DATA. */
  static load<M = unknown>(bytes: Uint8Array, options: { seed?: number } = {}): HNSWIndex<M> {
    const { seed } = optionsObject(options, 'HNSWIndex.load options');
    if (seed !== undefined) finiteNumber(seed, 'seed');
    const corrupt = (why: string): never => {
      throw new ChunkwiseError('CORRUPT_DATA', `This is not a valid HNSW snapshot: ${why}.`);
    };
    if (!(bytes instanceof Uint8Array) || bytes.length < 40) corrupt('too short');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const header = Array.from({ length: 10 }, (_, i) => view.getInt32(i * 4, true));
    const [magic, version, dimensions, metricIndex, M, efConstruction, efSearch, count, entryPoint, maxLevel] = header as [number, number, number, number, number, number, number, number, number, number];
    if (magic !== MAGIC) corrupt('wrong magic number');
    if (version !== FORMAT_VERSION) corrupt(`format version ${version}, expected ${FORMAT_VERSION}`);
    const metric = METRICS[metricIndex] ?? corrupt('unknown metric');
    if (dimensions < 1 || M < 2 || count < 0 || entryPoint >= count || maxLevel > 64) corrupt('header out of range');
    const index = new HNSWIndex<M>({ dimensions, metric, M, efConstruction, efSearch, seed: options.seed ?? 42 });
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let at = 40;
    const need = (n: number) => {
      if (at + n > bytes.length) corrupt('truncated');
    };
    const u32 = () => {
      need(4);
      const value = view.getUint32(at, true);
      at += 4;
      return value;
    };
    try {
      index.ensureCapacity(count);
      for (let node = 0; node < count; node++) {
        const idLength = u32();
        need(idLength);
        const id = decoder.decode(bytes.subarray(at, (at += idLength)));
        const metaLength = u32();
        need(metaLength);
        const metaText = decoder.decode(bytes.subarray(at, (at += metaLength)));
        need(1);
        const isDeleted = bytes[at++] === 1;
        const level = u32();
        if (level > maxLevel) corrupt('node level above the top level');
        need(4 * dimensions);
        for (let i = 0; i < dimensions; i++, at += 4) index.vectors[node * dimensions + i] = view.getFloat32(at, true);
        const lists: Int32Array[] = [];
        for (let l = 0; l <= level; l++) {
          const n = u32();
          if (n > (l === 0 ? 2 * M : M)) corrupt('too many links');
          const list = l === 0 ? index.links0.subarray(node * index.stride0, (node + 1) * index.stride0) : new Int32Array(M + 1);
          list[0] = n;
          for (let i = 1; i <= n; i++) {
            const to = u32();
            if (to >= count) corrupt('link to a missing node');
            list[i] = to;
          }
          if (l > 0) lists.push(list);
        }
        index.ids.push(id);
        index.metas.push(metaText === '' ? undefined : (JSON.parse(metaText) as M));
        index.levels.push(level);
        index.upper.push(lists.length > 0 ? lists : undefined);
        if (isDeleted) {
          index.deleted[node] = 1;
          index.deletedCount++;
        } else {
          index.nodeOf.set(id, node);
        }
      }
    } catch (error) {
      if (error instanceof ChunkwiseError) throw error;
      throw new ChunkwiseError('CORRUPT_DATA', 'This is not a valid HNSW snapshot: undecodable contents.', { cause: error });
    }
    if (at !== bytes.length) corrupt('trailing bytes');
    index.count = count;
    index.entryPoint = entryPoint;
    index.maxLevel = maxLevel;
    return index;
  }

  // ----- internals -----

  private insert(id: string, vector: Float32Array, meta: M | undefined, level: number): void {
    const node = this.count++;
    this.ensureCapacity(this.count);
    this.vectors.set(vector, node * this.dimensions);
    this.ids[node] = id;
    this.metas[node] = meta;
    this.levels[node] = level;
    this.links0[node * this.stride0] = 0;
    this.upper[node] = level === 0 ? undefined : Array.from({ length: level }, () => new Int32Array(this.M + 1));
    this.nodeOf.set(id, node);
    if (this.entryPoint < 0) {
      this.entryPoint = node;
      this.maxLevel = level;
      return;
    }
    let ep = this.entryPoint;
    let epDist = this.distanceTo(vector, ep);
    for (let l = this.maxLevel; l > level; l--) [ep, epDist] = this.greedy(vector, ep, epDist, l);
    let eps = [ep];
    let epDists = [epDist];
    for (let l = Math.min(level, this.maxLevel); l >= 0; l--) {
      const found = this.searchLayer(vector, eps, epDists, this.efConstruction, l);
      const chosen = this.selectNeighbours(found, this.M);
      const list = this.list(node, l);
      list[0] = chosen.length;
      chosen.forEach((c, i) => (list[i + 1] = c.node));
      for (const c of chosen) this.link(c.node, node, c.dist, l);
      eps = found.map((f) => f.node);
      epDists = found.map((f) => f.dist);
    }
    if (level > this.maxLevel) {
      this.maxLevel = level;
      this.entryPoint = node;
    }
  }

  /** Adds `to` to `from`'s links at `level`, re-selecting with the heuristic when full. */
  private link(from: number, to: number, dist: number, level: number): void {
    const list = this.list(from, level);
    const cap = level === 0 ? this.maxM0 : this.M;
    const n = list[0] as number;
    if (n < cap) {
      list[n + 1] = to;
      list[0] = n + 1;
      return;
    }
    const offset = from * this.dimensions;
    const candidates = [{ node: to, dist }];
    for (let i = 1; i <= n; i++) {
      const other = list[i] as number;
      candidates.push({ node: other, dist: this.distanceBetween(offset, other) });
    }
    candidates.sort((a, b) => a.dist - b.dist);
    const kept = this.selectNeighbours(candidates, cap);
    list[0] = kept.length;
    kept.forEach((c, i) => (list[i + 1] = c.node));
  }

  /**
   * HNSW Algorithm 4: walk candidates nearest first and keep one only if it is closer to the base
   * than to every neighbour kept so far; candidates must be sorted by ascending distance.
   */
  private selectNeighbours(candidates: { node: number; dist: number }[], m: number): { node: number; dist: number }[] {
    if (candidates.length <= m) return candidates;
    const kept: { node: number; dist: number }[] = [];
    for (const c of candidates) {
      if (kept.length >= m) break;
      const offset = c.node * this.dimensions;
      let good = true;
      for (const k of kept) {
        if (this.distanceBetween(offset, k.node) < c.dist) {
          good = false;
          break;
        }
      }
      if (good) kept.push(c);
    }
    return kept;
  }

  private greedy(q: Float32Array, ep: number, epDist: number, level: number): [number, number] {
    let changed = true;
    while (changed) {
      changed = false;
      const list = level === 0 ? this.links0 : ((this.upper[ep] as Int32Array[])[level - 1] as Int32Array);
      const base = level === 0 ? ep * this.stride0 : 0;
      const n = list[base] as number;
      for (let i = base + 1; i <= base + n; i++) {
        const other = list[i] as number;
        const d = this.distanceTo(q, other);
        if (d < epDist) {
          epDist = d;
          ep = other;
          changed = true;
        }
      }
    }
    return [ep, epDist];
  }

  /** HNSW Algorithm 2: best-first search keeping the ef nearest; sorted ascending by distance. */
  private searchLayer(q: Float32Array, eps: number[], epDists: number[], ef: number, level: number): { node: number; dist: number }[] {
    const stamp = this.nextStamp();
    const { candidates, results } = this;
    candidates.clear();
    results.clear();
    eps.forEach((ep, i) => {
      this.visited[ep] = stamp;
      candidates.push(epDists[i] as number, ep);
      results.push(epDists[i] as number, ep);
    });
    while (results.size > ef) results.pop();
    while (candidates.size > 0) {
      const current = candidates.topNode();
      const currentDist = candidates.topDist();
      if (currentDist > results.topDist() && results.size >= ef) break;
      candidates.pop();
      let list = this.links0;
      let base = current * this.stride0;
      if (level > 0) {
        const lists = this.upper[current];
        if (!lists || lists.length < level) continue;
        list = lists[level - 1] as Int32Array;
        base = 0;
      }
      const n = list[base] as number;
      for (let i = base + 1; i <= base + n; i++) {
        const other = list[i] as number;
        if (this.visited[other] === stamp) continue;
        this.visited[other] = stamp;
        const d = this.distanceTo(q, other);
        if (results.size < ef || d < results.topDist()) {
          candidates.push(d, other);
          results.push(d, other);
          if (results.size > ef) results.pop();
        }
      }
    }
    return results.drainAscending();
  }

  private nextStamp(): number {
    if (this.visited.length < this.count) {
      const next = new Uint32Array(Math.max(this.count, this.visited.length * 2));
      next.set(this.visited);
      this.visited = next;
    }
    this.visitStamp = (this.visitStamp + 1) >>> 0;
    if (this.visitStamp === 0) {
      this.visited.fill(0);
      this.visitStamp = 1;
    }
    return this.visitStamp;
  }

  /** The neighbour list of a node at a level ([0] is the count); level 0 is a view into links0. */
  private list(node: number, level: number): Int32Array {
    return level === 0 ? this.links0.subarray(node * this.stride0, (node + 1) * this.stride0) : ((this.upper[node] as Int32Array[])[level - 1] as Int32Array);
  }

  private ensureCapacity(count: number): void {
    if (count * this.dimensions > this.vectors.length) {
      let capacity = this.vectors.length / this.dimensions;
      while (capacity < count) capacity *= 2;
      const next = new Float32Array(capacity * this.dimensions);
      next.set(this.vectors);
      this.vectors = next;
    }
    if (count * this.stride0 > this.links0.length) {
      const next = new Int32Array(Math.max(count, (this.links0.length / this.stride0) * 2) * this.stride0);
      next.set(this.links0);
      this.links0 = next;
    }
    if (count > this.deleted.length) {
      const next = new Uint8Array(Math.max(count, this.deleted.length * 2));
      next.set(this.deleted);
      this.deleted = next;
    }
  }

  /** Lower is nearer: −dot for cosine/dot (cosine vectors are unit length), squared L2 for 'l2'. */
  private distanceTo(q: Float32Array, node: number): number {
    const offset = node * this.dimensions;
    return this.metric === 'l2' ? squaredL2At(this.vectors, offset, q, 0, this.dimensions) : -dotAt(this.vectors, offset, q, 0, this.dimensions);
  }

  private distanceBetween(offset: number, node: number): number {
    const other = node * this.dimensions;
    return this.metric === 'l2'
      ? squaredL2At(this.vectors, offset, this.vectors, other, this.dimensions)
      : -dotAt(this.vectors, offset, this.vectors, other, this.dimensions);
  }

  private toScore(dist: number): number {
    return this.metric === 'l2' ? -Math.sqrt(dist) : -dist;
  }
}
