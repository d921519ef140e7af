import { throwIfAborted } from '@chunkwise/core';

/**
 * `items.map(fn)` with at most `limit` calls in flight, results in input order. After the first
 * failure (or an abort) no new call starts; the ones in flight are awaited, so nothing keeps running
 * after this returns, and the first error is thrown. Model calls end quickly here because
 * `ModelCalls` aborts the siblings of a failed call (their signal fires) rather than letting them run.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        throwIfAborted(signal);
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  if (failure) throw failure.error;
  return results;
}
