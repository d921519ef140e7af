import { ChunkwiseError, type Chunk } from '@chunkwise/core';
import type { RecordMeta, Store, StoreRecord, SourceSyncResult } from './store.js';

/**
 * Turns a document's chunks into store records that carry their citation: the source name and
 * the chunk's UTF-16 offsets, so a hit can always be traced back to `source.slice(start, end)`.
 * Ids are `${source}#${index}`, so re-indexing the same file replaces its chunks in place.
 */
export function chunksToRecords(source: string, chunks: readonly Chunk[], extra: (chunk: Chunk) => RecordMeta = () => ({})): StoreRecord[] {
  if (typeof source !== 'string' || source === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'chunksToRecords needs a source name (a non-empty string).');
  if (!Array.isArray(chunks)) throw new ChunkwiseError('INVALID_ARGUMENT', 'chunksToRecords needs an array of chunks.');
  if (typeof extra !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', 'extra must be a function (chunk) => metadata.');
  return chunks.map((chunk: Chunk) => {
    if (chunk === null || typeof chunk !== 'object' || typeof chunk.text !== 'string' || !Number.isInteger(chunk.index) || !Number.isInteger(chunk.start) || !Number.isInteger(chunk.end)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'Each chunk needs text (a string) and integer index, start and end, as chunkers produce.');
    }
    const more = extra(chunk);
    if (more === null || typeof more !== 'object' || Array.isArray(more)) throw new ChunkwiseError('INVALID_ARGUMENT', 'extra(chunk) must return a plain object of metadata.');
    return {
      id: `${source}#${chunk.index}`,
      text: chunk.text,
      meta: { ...more, source, start: chunk.start, end: chunk.end, index: chunk.index, ...(typeof chunk.tokenCount === 'number' && { tokens: chunk.tokenCount }) },
    };
  });
}

/**
 * Indexes a document's chunks as its source's whole content: chunksToRecords plus
 * Store.replaceSource, in one transaction. Re-indexing a file that shrank removes its old chunks;
 * an unchanged file writes nothing.
 */
export function syncSource(store: Store, source: string, chunks: readonly Chunk[], extra?: (chunk: Chunk) => RecordMeta): Promise<SourceSyncResult> {
  if (store === null || typeof store !== 'object' || typeof (store as Partial<Store>).replaceSource !== 'function') {
    return Promise.reject(new ChunkwiseError('INVALID_ARGUMENT', 'syncSource needs a Store (MemoryStore, SqliteStore, PostgresStore).'));
  }
  try {
    return store.replaceSource(source, chunksToRecords(source, chunks, extra));
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
