/**
 * Any async key-value store: a Map wrapper, `@chunkwise/cache`'s stores, Redis, a JSON file. Keys are
 * SHA-256 hex strings (from core's `hashKey`), values are finished summaries.
 */
export interface SummaryCache {
  get(key: string): Promise<string | undefined | null> | string | undefined | null;
  set(key: string, value: string): Promise<unknown> | unknown;
}
