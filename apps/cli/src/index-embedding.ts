import type { Chunk } from '@chunkwise/core';
import { chunksToRecords, type RecordMeta, type SourceSyncResult, type Store } from '@chunkwise/retrieval';
import { embedRecords } from './embed-records.js';
import type { LoadedEmbedder } from './embedder-option.js';
import { indexingEmbedder, writeIndexEmbedder } from './index-embedder.js';
import type { StoreTarget } from './store-target.js';

/** The vectors an `index` run writes: with which embedder, and whether the index records it yet. */
export interface IndexEmbedding {
  loaded: LoadedEmbedder;
  /** The index had no embedder: fit it on this run's chunks (GloVe's SIF), then `record` it. */
  fresh: boolean;
  /** syncSource with a vector per chunk: one transaction per source, as without vectors. */
  sync(store: Store, source: string, chunks: readonly Chunk[], extra: (chunk: Chunk) => RecordMeta, signal?: AbortSignal): Promise<SourceSyncResult>;
  /** Records the embedder and its fitted state with the index, once its records are written. */
  record(target: StoreTarget): Promise<void>;
  close(): Promise<void>;
}

/**
 * The embedder of an `index` run on an opened index: the index's recorded one (so later runs and
 * queries embed with the same model and SIF state; a `requested` one must be the same), else the
 * requested one, new to the index. Undefined when neither exists: BM25 only.
 */
export async function openIndexEmbedding(target: StoreTarget, requested: LoadedEmbedder | undefined): Promise<IndexEmbedding | undefined> {
  const found = await indexingEmbedder(target, requested);
  if (found === undefined) return undefined;
  const { loaded, fresh } = found;
  return {
    loaded,
    fresh,
    async sync(store, source, chunks, extra, signal) {
      const records = chunksToRecords(source, chunks, extra);
      await embedRecords(records, loaded.embedder, signal);
      return store.replaceSource(source, records);
    },
    record: async (to) => void (await writeIndexEmbedder(to, loaded)),
    close: () => loaded.close(),
  };
}
