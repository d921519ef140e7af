import { ChunkwiseError } from '@chunkwise/core';
import { sameRecord } from './same-record.js';
import type { SourceSyncResult, StoredRecord, StoreRecord } from './store.js';

/** Checks replaceSource's source argument. */
export function checkSource(source: unknown): string {
  if (typeof source !== 'string' || source === '') throw new ChunkwiseError('INVALID_ARGUMENT', `A source must be a non-empty string, got ${typeof source === 'string' ? '""' : typeof source}.`);
  return source;
}

/**
 * The records given to replaceSource with unique ids (the last of an id wins, as with successive
 * upserts), each checked to carry `meta.source === source`.
 */
export function sourceRecords(source: string, records: Iterable<StoreRecord>): StoreRecord[] {
  if (records === null || typeof records !== 'object' || typeof (records as Partial<Iterable<StoreRecord>>)[Symbol.iterator] !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'replaceSource needs an iterable of records (an array, a generator).');
  }
  const byId = new Map<string, StoreRecord>();
  for (const record of records) {
    const meta = (record as StoreRecord | null)?.meta;
    if (meta === null || typeof meta !== 'object' || meta.source !== source) {
      const id = typeof (record as StoreRecord | null)?.id === 'string' ? (record as StoreRecord).id : '?';
      throw new ChunkwiseError('INVALID_ARGUMENT', `Record "${id}" must carry meta.source === ${JSON.stringify(source)} to be part of that source (chunksToRecords sets it).`, { details: { id, source } });
    }
    byId.delete(record.id);
    byId.set(record.id, record);
  }
  return [...byId.values()];
}

/** What a store must write and delete to make the source's records exactly `incoming`. */
export interface SourceSyncPlan {
  write: StoredRecord[];
  remove: string[];
  result: SourceSyncResult;
}

/**
 * Compares the validated new records with the source's current ones (`before`, by id). An id that
 * exists under another source counts as added: it is new to this source.
 */
export function planSourceSync(source: string, incoming: readonly StoredRecord[], before: ReadonlyMap<string, StoredRecord>): SourceSyncPlan {
  const result: SourceSyncResult = { source, added: 0, updated: 0, removed: 0, unchanged: 0 };
  const write: StoredRecord[] = [];
  const kept = new Set<string>();
  for (const record of incoming) {
    kept.add(record.id);
    const old = before.get(record.id);
    if (old === undefined) result.added++;
    else if (sameRecord(old, record)) {
      result.unchanged++;
      continue;
    } else result.updated++;
    write.push(record);
  }
  const remove = [...before.keys()].filter((id) => !kept.has(id));
  result.removed = remove.length;
  return { write, remove, result };
}
