import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createCache, type Cache, type CacheValue } from '@chunkwise/cache';
import { sqliteStore } from '@chunkwise/cache/sqlite';
import type { SummaryCache } from '@chunkwise/summarization';

/**
 * The finished LLM calls of a content cache, in the shape summarization's `cache` option takes:
 * a rerun after a failure (the server died at call 11 of 17) makes only the calls that had not
 * finished. Keys are summarization's (method, model, prompt, length target), so another model or
 * another prompt is a miss.
 */
export function llmCallCache(cache: Cache<CacheValue>): SummaryCache {
  return {
    get: (key) => cache.get({ llmCall: key }),
    set: (key, value) => cache.set({ llmCall: key }, value),
  };
}

/**
 * Where `summarize` keeps finished LLM calls: $CHUNKWISE_CACHE_DIR, else $XDG_CACHE_HOME/chunkwise,
 * else ~/.cache/chunkwise; the file is `llm-calls.db` (SQLite).
 */
export function defaultLlmCachePath(env: Record<string, string | undefined> = process.env): string {
  const folder = nonEmpty(env.CHUNKWISE_CACHE_DIR) ?? join(nonEmpty(env.XDG_CACHE_HOME) ?? join(homedir(), '.cache'), 'chunkwise');
  return join(folder, 'llm-calls.db');
}

/** Opens (creating its folder) a SQLite content cache file for LLM calls. */
export function openLlmCache(path: string): { cache: SummaryCache; close(): void } {
  mkdirSync(dirname(path), { recursive: true });
  const store = sqliteStore({ path });
  return { cache: llmCallCache(createCache<CacheValue>({ store, namespace: 'llm-calls' })), close: () => store.close() };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
