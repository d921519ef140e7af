import { ChunkwiseError, throwIfAborted, type ProgressEvent } from '@chunkwise/core';
import { describeValue, optionalFunction, optionsObject, positiveInteger } from '../argument-checks.js';
import type { ScoredId } from '../bm25/top-k-heap.js';
import type { Store, StoredRecord } from './store.js';

export interface MigrateStoreOptions {
  /**
   * Verify the copy (default true): both stores count the same records and answer the same BM25
   * top-10 (ids and scores) for each query. `queries` replaces the default sample: the first words
   * of `sample` records (default 20) spread over the source store.
   */
  check?: boolean | { queries?: readonly string[]; sample?: number };
  /** Records per read and per write transaction; default 500. */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

export interface MigrateStoreResult {
  /** Records copied. */
  records: number;
  /** Queries whose top-10 were compared (0 with `check: false`). */
  queries: number;
}

const DEFAULT_SAMPLE = 20;
const QUERY_WORDS = 12;

/**
 * Copies every record of `from` into the empty store `to` (e.g. a SQLite file into Postgres), in
 * batches of one transaction each, then checks the copy: equal counts and equal BM25 top-10 for a
 * sample of queries. A difference throws CORRUPT_DATA naming what differs (open both stores with
 * the same analyzer, fields, k1 and b: they are part of the ranking).
 */
export async function migrateStore(from: Store, to: Store, options: MigrateStoreOptions = {}): Promise<MigrateStoreResult> {
  for (const [name, store] of [['from', from], ['to', to]] as const) {
    if (store === null || typeof store !== 'object' || typeof (store as Partial<Store>).records !== 'function' || typeof (store as Partial<Store>).upsert !== 'function') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `migrateStore needs a Store as \`${name}\` (MemoryStore, SqliteStore, PostgresStore).`);
    }
  }
  if (from === to) throw new ChunkwiseError('INVALID_ARGUMENT', 'migrateStore needs two different stores.');
  optionsObject(options, 'migrateStore options');
  const { check = true, batchSize = 500, signal, onProgress } = options;
  positiveInteger(batchSize, 'batchSize');
  optionalFunction(onProgress, 'onProgress');
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ChunkwiseError('INVALID_ARGUMENT', 'signal must be an AbortSignal.');
  const checkOptions = check === true ? {} : check === false ? undefined : check;
  if (checkOptions !== undefined && (checkOptions === null || typeof checkOptions !== 'object')) throw new ChunkwiseError('INVALID_ARGUMENT', 'check must be a boolean or { queries?, sample? }.');
  const sample = checkOptions?.sample ?? DEFAULT_SAMPLE;
  if (typeof sample !== 'number' || !Number.isInteger(sample) || sample < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `check.sample must be an integer ≥ 0, got ${describeValue(sample)}.`);
  const given = checkOptions?.queries;
  if (given !== undefined && (!Array.isArray(given) || !given.every((q) => typeof q === 'string'))) throw new ChunkwiseError('INVALID_ARGUMENT', 'check.queries must be an array of strings.');

  const existing = await to.count();
  if (existing > 0) throw new ChunkwiseError('INVALID_ARGUMENT', `migrateStore copies into an empty store; the target already holds ${existing} records.`, { details: { records: existing } });
  const total = await from.count();
  // Sample queries from records spread evenly over the id order.
  const stride = Math.max(1, Math.floor(total / Math.max(1, sample)));
  const sampled: string[] = [];
  let copied = 0;
  let batch: StoredRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await to.upsert(batch);
    copied += batch.length;
    batch = [];
    onProgress?.({ stage: 'migrate', done: copied, total, unit: 'records' });
  };
  for await (const record of from.records({ batchSize, ...(signal && { signal }) })) {
    if (given === undefined && checkOptions !== undefined && sampled.length < sample && (copied + batch.length) % stride === 0) {
      sampled.push(record.text.split(/\s+/).filter(Boolean).slice(0, QUERY_WORDS).join(' '));
    }
    batch.push(record);
    if (batch.length >= batchSize) {
      throwIfAborted(signal);
      await flush();
    }
  }
  await flush();
  if (checkOptions === undefined) return { records: copied, queries: 0 };

  const [fromCount, toCount] = [await from.count(), await to.count()];
  if (fromCount !== toCount || toCount !== copied) {
    throw new ChunkwiseError('CORRUPT_DATA', `The migrated store holds ${toCount} records, the source ${fromCount} (${copied} copied).`, { details: { from: fromCount, to: toCount, copied } });
  }
  const queries = given ?? sampled;
  for (const query of queries) {
    throwIfAborted(signal);
    const [a, b] = [await from.searchText(query, { k: 10 }), await to.searchText(query, { k: 10 })];
    const differs = a.length !== b.length || a.some((hit, i) => hit.id !== (b[i] as ScoredId).id || hit.score !== (b[i] as ScoredId).score);
    if (differs) {
      throw new ChunkwiseError('CORRUPT_DATA', `BM25 top-10 differ after migration for the query ${JSON.stringify(query.slice(0, 80))}: source [${describe(a)}], copy [${describe(b)}]. Both stores need the same analyzer, fields, k1 and b.`, {
        details: { query, from: a, to: b },
      });
    }
  }
  return { records: copied, queries: queries.length };
}

function describe(hits: readonly ScoredId[]): string {
  return hits
    .slice(0, 3)
    .map((h) => `${h.id} ${h.score.toFixed(4)}`)
    .join(', ')
    .concat(hits.length > 3 ? ', …' : '');
}
