import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { cachedEmbedder, createCache, type CacheStore, type CacheValue } from '@chunkwise/cache';
import type { Embedder, ProgressCallback } from '@chunkwise/core';
import type { SifState } from '@chunkwise/providers/static';
import { loadEmbedder, parseEmbedderSpec, type EmbedderSpec, type LoadedEmbedder } from '../embedder-option.js';
import { addIndexEmbedder, checkSameEmbedder, loadRecordedEmbedder, readIndexEmbedder, type IndexSettingsTarget } from '../index-embedder.js';
import { isRedisUrl, parseRedisTarget, waitForReplicas } from './redis-target.js';

/** An embedder as a worker uses it: behind the shared content cache, counting what it computes. */
export interface IngestEmbedder {
  embedder: Embedder;
  /** Names the model in the content hash and the cache keys. */
  name: string;
  /** Texts the model computed (cache misses) since the start. */
  computed(): number;
  /** Waits until the cache's writes so far reached a replica (Redis Cluster), so a failover keeps them. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The content-cache name of the unfitted GloVe embedder every worker used before indexes recorded it: kept, so cached vectors stay valid. */
const GLOVE_PRIOR = 'glove-wink-sg-100d-sif-prior';

/**
 * The embedder a worker embeds with, settled before it takes a job (so nothing is written with
 * another model's vectors):
 * - the index records one: that one, loaded with its recorded state and server; a `requested`
 *   spec must name the same model (DIMENSION_MISMATCH otherwise);
 * - it records none: the requested one, unfitted (GloVe's SIF weights come from the
 *   vocabulary-rank prior, since no worker sees the whole corpus), recorded with the index by an
 *   insert-if-absent, so of several first workers one record wins and the others take it or refuse;
 * - neither: undefined, BM25 only.
 */
export async function workerEmbedder(target: IndexSettingsTarget, requested: EmbedderSpec | undefined, options: { onProgress?: ProgressCallback } = {}): Promise<LoadedEmbedder | undefined> {
  let record = await readIndexEmbedder(target);
  if (record === undefined) {
    if (requested === undefined) return undefined;
    const loaded = await loadEmbedder(requested, options);
    let added: Awaited<ReturnType<typeof addIndexEmbedder>>;
    try {
      added = await addIndexEmbedder(target, loaded);
    } catch (error) {
      await loaded.close();
      throw error;
    }
    if (added.same) return loaded;
    await loaded.close();
    record = added.record;
  }
  if (requested !== undefined) checkSameEmbedder(record, requested, target.label);
  return loadRecordedEmbedder(target, record, options);
}

/**
 * The model's name in the content hash and the content cache's keys: the same text embedded by the
 * same model and state is computed once across workers; another state (a GloVe fitted by
 * `index --embedder`) gets keys of its own.
 */
export function contentCacheModel(loaded: LoadedEmbedder): string {
  const spec = parseEmbedderSpec(loaded.spec);
  switch (spec.kind) {
    case 'glove': {
      const state = loaded.state() as Partial<SifState> | null;
      const prior = state !== null && state.texts === 0 && state.component === null && state.a === 1e-3 && state.priorTokens === 10_000;
      return prior ? GLOVE_PRIOR : `glove-wink-sg-100d-sif-${createHash('sha256').update(JSON.stringify(state)).digest('hex').slice(0, 16)}`;
    }
    case 'static':
    case 'transformers':
      // The folder's name, as worker caches were keyed before: the same model from any mount point.
      return `${spec.kind}:${basename(spec.dir)}`;
    case 'openai':
      return `openai:${spec.model}`;
  }
}

/**
 * The worker's embedder behind the content cache named by `--cache`: a Redis server or Cluster
 * shared by every worker (so no text is embedded twice across them), or a SQLite file.
 */
export async function openIngestEmbedder(loaded: LoadedEmbedder, cache: string | undefined, namespace: string): Promise<IngestEmbedder> {
  const model = loaded.embedder;
  const name = contentCacheModel(loaded);
  let computed = 0;
  const counting: Embedder = {
    dimensions: model.dimensions,
    embed(texts, options) {
      computed += texts.length;
      return model.embed(texts, options);
    },
  };
  if (cache === undefined) return { embedder: counting, name, computed: () => computed, flush: () => Promise.resolve(), close: () => loaded.close() };
  const store = await openCacheStore(cache).catch(async (error: unknown) => {
    await loaded.close();
    throw error;
  });
  const embedder = cachedEmbedder(counting, createCache<CacheValue>({ store: store.store, namespace }), { model: name });
  return {
    embedder,
    name,
    computed: () => computed,
    flush: store.flush,
    close: async () => {
      await store.store.close();
      await loaded.close();
    },
  };
}

async function openCacheStore(cache: string): Promise<{ store: CacheStore; flush(): Promise<void> }> {
  if (!isRedisUrl(cache)) {
    const { sqliteStore } = await import('@chunkwise/cache/sqlite');
    return { store: sqliteStore({ path: cache }), flush: () => Promise.resolve() };
  }
  const target = parseRedisTarget(cache, '--cache');
  const { redisStore } = await import('@chunkwise/cache/redis');
  // Reads that fail during a failover are misses (the text is embedded again); writes still fail
  // the job, which is then retried.
  const store = redisStore({ ...(target.kind === 'server' ? { url: target.url } : { cluster: target.nodes }), keyPrefix: '', onError: () => {} });
  return { store, flush: () => waitForReplicas(store.client) };
}
