import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, optionalFunction, optionsObject, positiveInteger, requireArray, requireIterable, requireObject } from '../argument-checks.js';
import { TopKHeap, type ScoredId } from '../bm25/top-k-heap.js';
import { assertDimensions, assertMetric, prepareVector, scoreAt, type Metric } from './metric.js';

export interface VectorIndexOptions {
  dimensions: number;
  /** Default 'cosine'. */
  metric?: Metric;
}

export interface VectorSearchOptions<M> {
  /** How many hits; default 10. */
  k?: number;
  filter?: (id: string, meta: M | undefined) => boolean;
}

/**
 * Exact (flat) nearest-neighbour search over one contiguous Float32Array: rows are scanned in
 * memory order, which is what makes a brute-force scan fast. Removal moves the last row into the
 * hole so the matrix stays dense. Hits are sorted by score (higher is better), then id.
 */
export class VectorIndex<M = unknown> {
  readonly dimensions: number;
  readonly metric: Metric;
  private data: Float32Array;
  private ids: string[] = [];
  private metas: (M | undefined)[] = [];
  private readonly rowOf = new Map<string, number>();

  constructor(options: VectorIndexOptions) {
    requireObject(options, 'VectorIndex options');
    assertDimensions(options.dimensions);
    const metric = options.metric ?? 'cosine';
    assertMetric(metric);
    this.dimensions = options.dimensions;
    this.metric = metric;
    this.data = new Float32Array(options.dimensions * 16);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** Adds a vector; an existing id is overwritten. Cosine vectors are stored unit-normalised. */
  add(id: string, vector: ArrayLike<number>, meta?: M): this {
    if (typeof id !== 'string' || id === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'A vector id must be a non-empty string.');
    const prepared = prepareVector(vector, this.dimensions, this.metric, `Vector "${id}"`);
    let row = this.rowOf.get(id);
    if (row === undefined) {
      row = this.ids.length;
      if ((row + 1) * this.dimensions > this.data.length) {
        const next = new Float32Array(this.data.length * 2);
        next.set(this.data);
        this.data = next;
      }
      this.ids.push(id);
      this.metas.push(meta);
      this.rowOf.set(id, row);
    } else {
      this.metas[row] = meta;
    }
    this.data.set(prepared, row * this.dimensions);
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
    const row = this.rowOf.get(id);
    if (row === undefined) throw new ChunkwiseError('NOT_FOUND', `No vector with id ${describeValue(id)} to remove.`, { details: { id } });
    const last = this.ids.length - 1;
    if (row !== last) {
      const movedId = this.ids[last] as string;
      this.data.copyWithin(row * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
      this.ids[row] = movedId;
      this.metas[row] = this.metas[last];
      this.rowOf.set(movedId, row);
    }
    this.ids.pop();
    this.metas.pop();
    this.rowOf.delete(id);
    return this;
  }

  /** The stored vector (unit-normalised for cosine). */
  vector(id: string): Float32Array | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.data.slice(row * this.dimensions, (row + 1) * this.dimensions);
  }

  meta(id: string): M | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.metas[row];
  }

  search(query: ArrayLike<number>, options: VectorSearchOptions<M> = {}): ScoredId[] {
    return this.searchBatch([query], options)[0] as ScoredId[];
  }

  /**
   * Several queries in one pass over the matrix: each row is read once and scored against every
   * query while it is in cache.
   */
  searchBatch(queries: readonly ArrayLike<number>[], options: VectorSearchOptions<M> = {}): ScoredId[][] {
    const { k = 10, filter } = optionsObject(options, 'Search options');
    positiveInteger(k, 'k');
    optionalFunction(filter, 'filter');
    const prepared = requireArray<ArrayLike<number>>(queries, 'The queries').map((q, i) => prepareVector(q, this.dimensions, this.metric, `Query ${i}`));
    const heaps = prepared.map(() => new TopKHeap(k));
    const thresholds = new Float64Array(prepared.length).fill(Number.NEGATIVE_INFINITY);
    const n = this.dimensions;
    for (let row = 0; row < this.ids.length; row++) {
      const id = this.ids[row] as string;
      if (filter && !filter(id, this.metas[row])) continue;
      const offset = row * n;
      for (let q = 0; q < prepared.length; q++) {
        const score = scoreAt(this.metric, this.data, offset, prepared[q] as Float32Array, n);
        if (score < (thresholds[q] as number)) continue;
        const heap = heaps[q] as TopKHeap;
        if (heap.offer({ id, score }) && heap.full) thresholds[q] = heap.threshold;
      }
    }
    return heaps.map((heap) => heap.sorted());
  }
}
