// Content cache: hashKey-addressed values in a pluggable store (memory here; SQLite and Redis
// behind the ./sqlite and ./redis subpaths so this entry stays browser-safe).
export { createCache } from './content/create-cache.js';
export type { Cache, CacheOptions, SetOptions } from './content/create-cache.js';
export { encodeValue, decodeValue } from './content/value-codec.js';
export type { CacheValue, JsonValue, BinaryValue } from './content/value-codec.js';
export { memoryStore } from './stores/memory-store.js';
export type { MemoryStore, MemoryStoreOptions } from './stores/memory-store.js';
export type { CacheStore, SyncCacheStore, StoreEntry, MaybePromise } from './stores/cache-store.js';
export { cachedEmbedder } from './content/cached-embedder.js';
export type { CachedEmbedderOptions } from './content/cached-embedder.js';
export { cachedModel } from './content/cached-model.js';
export type { CachedModelOptions } from './content/cached-model.js';
// KV-cache structures (pure TypeScript, browser-safe).
export { PagedKVCache } from './kv/paged-kv-cache.js';
export type { PagedKVCacheOptions, KVView } from './kv/paged-kv-cache.js';
export { RadixPrefixCache } from './kv/radix-prefix-cache.js';
export type { RadixPrefixCacheOptions, RadixMatch, RadixInsertResult, RadixNode } from './kv/radix-prefix-cache.js';
export { chainBlockHashes } from './kv/block-hash.js';
export { slidingWindowKeep } from './eviction/sliding-window.js';
export { sinkWindowKeep } from './eviction/sink-window.js';
export type { SinkWindowDecision } from './eviction/sink-window.js';
export { H2OEviction } from './eviction/h2o.js';
export { SirLLMEviction } from './eviction/sirllm.js';
export type { SirLLMOptions } from './eviction/sirllm.js';
export { ChunkKVCache, defaultRecomputeRule } from './kv/chunk-kv-cache.js';
export { cacheCraftRule, contextImpactFromLse } from './kv/cache-craft-rule.js';
export type { CacheCraftRuleOptions } from './kv/cache-craft-rule.js';
export type { ChunkKVCacheOptions, ChunkKVCacheStats, ChunkKVEntry, ChunkKVSpillOptions, ChunkPlan, ChunkPlanStep, RecomputeContext, RecomputeRule } from './kv/chunk-kv-cache.js';
export type { SpillableKV } from './kv/chunk-kv-record.js';
