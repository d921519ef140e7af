import { basename } from 'node:path';
import { cachedEmbedder, createCache, type CacheStore, type CacheValue } from '@chunkwise/cache';
import type { Embedder } from '@chunkwise/core';
import { UsageError } from '../errors.js';
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

/**
 * `--embedder glove` (GloVe 100-d word vectors with SIF weights from the vocabulary-rank prior:
 * no fit on a corpus, so every worker computes the same vector for the same text) or
 * `--embedder static:DIR` (a Model2Vec / sentence-transformers static model folder).
 */
export async function loadEmbedderSpec(spec: string): Promise<{ embedder: Embedder; name: string }> {
  if (spec === 'glove') {
    const { gloveEmbedder } = await import('@chunkwise/providers/static/node');
    return { embedder: await gloveEmbedder(), name: 'glove-wink-sg-100d-sif-prior' };
  }
  if (spec.startsWith('static:') && spec.length > 'static:'.length) {
    const dir = spec.slice('static:'.length);
    const { loadStaticModel } = await import('@chunkwise/providers/static/node');
    return { embedder: loadStaticModel(dir), name: `static:${basename(dir)}` };
  }
  throw new UsageError(`--embedder takes glove or static:DIR (a Model2Vec folder), got ${JSON.stringify(spec)}.`);
}

/**
 * The worker's embedder behind the content cache named by `--cache`: a Redis server or Cluster
 * shared by every worker (so no text is embedded twice across them), or a SQLite file.
 */
export async function openIngestEmbedder(spec: string, cache: string | undefined, namespace: string): Promise<IngestEmbedder> {
  const { embedder: model, name } = await loadEmbedderSpec(spec);
  let computed = 0;
  const counting: Embedder = {
    dimensions: model.dimensions,
    embed(texts, options) {
      computed += texts.length;
      return model.embed(texts, options);
    },
  };
  if (cache === undefined) return { embedder: counting, name, computed: () => computed, flush: () => Promise.resolve(), close: () => Promise.resolve() };
  const store = await openCacheStore(cache);
  const embedder = cachedEmbedder(counting, createCache<CacheValue>({ store: store.store, namespace }), { model: name });
  return { embedder, name, computed: () => computed, flush: store.flush, close: async () => void (await store.store.close()) };
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
