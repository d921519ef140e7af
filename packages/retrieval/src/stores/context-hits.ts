import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, optionalFunction, optionsObject } from '../argument-checks.js';
import type { ScoredId } from '../bm25/top-k-heap.js';
import type { ContextHit } from '../context/types.js';
import type { Store, StoredRecord } from './store.js';

export interface ContextHitOptions {
  /**
   * The document a record belongs to, for citations and document order. Default: `meta.source`
   * (as chunksToRecords sets it); return something finer (source and chapter) to keep passages of
   * different chapters apart.
   */
  docId?: (record: StoredRecord) => string | undefined;
}

/**
 * The inverse of chunksToRecords: a stored record and its score as a ContextHit for
 * selectContext, with `docId` (meta.source), `start`/`end` (meta.start/end) and `chunkIndex`
 * (meta.index) where the record carries them.
 */
export function recordToContextHit(record: StoredRecord, score: number, options: ContextHitOptions = {}): ContextHit {
  if (record === null || typeof record !== 'object' || typeof record.id !== 'string' || typeof record.text !== 'string') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'recordToContextHit needs a stored record ({ id, text, meta? }).');
  }
  if (typeof score !== 'number' || Number.isNaN(score)) throw new ChunkwiseError('INVALID_ARGUMENT', `The score of "${record.id}" must be a number.`);
  optionsObject(options, 'options');
  optionalFunction(options.docId, 'options.docId');
  if (record.meta !== undefined && (record.meta === null || typeof record.meta !== 'object')) throw new ChunkwiseError('INVALID_ARGUMENT', `meta of "${record.id}" must be an object.`);
  const meta = record.meta ?? {};
  const hit: ContextHit = { id: record.id, score, text: record.text };
  const docId = options.docId ? options.docId(record) : typeof meta.source === 'string' ? meta.source : undefined;
  if (docId !== undefined && typeof docId !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `options.docId must return a string or undefined, got ${describeValue(docId)}.`);
  if (docId !== undefined) hit.docId = docId;
  if (Number.isInteger(meta.start)) hit.start = meta.start as number;
  if (Number.isInteger(meta.end)) hit.end = meta.end as number;
  if (Number.isInteger(meta.index)) hit.chunkIndex = meta.index as number;
  return hit;
}

/**
 * Store hits (searchText / searchVector) turned into ContextHits for selectContext: each record is
 * read back with `get`, in hit order. A hit whose record was deleted since the search is skipped.
 */
export async function hitsToContext(store: Store, hits: readonly ScoredId[], options: ContextHitOptions = {}): Promise<ContextHit[]> {
  if (store === null || typeof store !== 'object' || typeof (store as Partial<Store>).get !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'hitsToContext needs a Store (MemoryStore, SqliteStore, PostgresStore).');
  }
  if (!Array.isArray(hits)) throw new ChunkwiseError('INVALID_ARGUMENT', 'hitsToContext needs the array of hits a search returned.');
  optionsObject(options, 'options');
  optionalFunction(options.docId, 'options.docId');
  const out: ContextHit[] = [];
  for (const hit of hits) {
    if (hit === null || typeof hit !== 'object' || typeof hit.id !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'Each hit needs an id and a score, as searchText returns.');
    const record = await store.get(hit.id);
    if (record) out.push(recordToContextHit(record, hit.score, options));
  }
  return out;
}
