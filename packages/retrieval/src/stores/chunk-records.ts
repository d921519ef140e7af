import type { Chunk } from '@chunkwise/core';
import type { RecordMeta, StoreRecord } from './store.js';

/**
 * Turns a document's chunks into store records that carry their citation: the source name and
 * the chunk's UTF-16 offsets, so a hit can always be traced back to `source.slice(start, end)`.
 * Ids are `${source}#${index}`, so re-indexing the same file replaces its chunks in place.
 */
export function chunksToRecords(source: string, chunks: readonly Chunk[], extra: (chunk: Chunk) => RecordMeta = () => ({})): StoreRecord[] {
  return chunks.map((chunk) => ({
    id: `${source}#${chunk.index}`,
    text: chunk.text,
    meta: { ...extra(chunk), source, start: chunk.start, end: chunk.end, index: chunk.index, tokens: chunk.tokenCount },
  }));
}
