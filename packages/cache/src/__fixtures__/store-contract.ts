// The behaviour every CacheStore promises, as plain async checks (no test runner), so the same
// contract runs under Vitest in Node and inside a real browser page for the IndexedDB store.
import { createCache } from '../content/create-cache.js';
import type { CacheStore } from '../stores/cache-store.js';

export interface ContractResult {
  name: string;
  /** Absent when the check passed. */
  error?: string;
}

/** Opens a fresh, empty store whose clock is `now`. */
export type OpenStore = (now: () => number) => CacheStore | Promise<CacheStore>;

class ContractFailure extends Error {}

function check(condition: boolean, message: string): void {
  if (!condition) throw new ContractFailure(message);
}

function bytesOf(value: Uint8Array | undefined): number[] | undefined {
  return value === undefined ? undefined : Array.from(value);
}

function same(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

/** The ChunkwiseError code thrown synchronously or as a rejection, or 'none'. */
async function errorCode(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'none';
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
}

type Check = (store: CacheStore, clock: { time: number }) => Promise<void>;

const checks: Record<string, Check> = {
  async 'stores, replaces and deletes bytes'(store) {
    await store.set('a', new Uint8Array([1, 2]));
    await store.set('a', new Uint8Array([3]));
    same(bytesOf(await store.get('a')), [3], 'get after replace');
    same(await store.get('missing'), undefined, 'get of an absent key');
    same(await store.delete('a'), true, 'first delete');
    same(await store.delete('a'), false, 'second delete');
    same(await store.get('a'), undefined, 'get after delete');
  },

  async 'setMany writes a batch; getMany reads keys in order'(store) {
    await store.setMany(Array.from({ length: 50 }, (_, i) => ({ key: `many:${i}`, value: new Uint8Array([i, 255 - i]) })));
    for (const i of [0, 17, 49]) same(bytesOf(await store.get(`many:${i}`)), [i, 255 - i], `get many:${i}`);
    check(typeof store.getMany === 'function', 'getMany is implemented');
    const values = await store.getMany!(['many:3', 'absent', 'many:49', 'many:3']);
    same(values.map(bytesOf), [[3, 252], undefined, [49, 206], [3, 252]], 'getMany');
    same(await store.getMany!([]), [], 'getMany of no keys');
  },

  async 'expires an entry at its absolute deadline'(store, clock) {
    await store.set('short', new Uint8Array([1]), clock.time + 100);
    await store.set('long', new Uint8Array([2]), clock.time + 10_000);
    await store.set('forever', new Uint8Array([3]));
    same(bytesOf(await store.get('short')), [1], 'before the deadline');
    clock.time += 100;
    same(await store.get('short'), undefined, 'at the deadline');
    same((await store.getMany!(['short', 'long', 'forever'])).map(bytesOf), [undefined, [2], [3]], 'getMany at the deadline');
    const prunable = store as CacheStore & { prune?: () => unknown; count?: () => unknown };
    if (typeof prunable.prune === 'function' && typeof prunable.count === 'function') {
      clock.time += 10_000;
      same(await prunable.prune(), 1, 'pruned entries');
      same(await prunable.count(), 1, 'entries left after prune');
    }
  },

  async 'stores exactly the bytes of a view, independent of the caller buffer'(store) {
    const buffer = new Uint8Array(64).map((_, i) => i);
    await store.set('view', buffer.subarray(10, 14));
    buffer.fill(0);
    same(bytesOf(await store.get('view')), [10, 11, 12, 13], 'a subarray and its later overwrite');
  },

  async 'keeps a Float32Array as compact binary through createCache'(store) {
    const cache = createCache({ store, namespace: 'contract' });
    const vector = new Float32Array(1536).map((_, i) => Math.sin(i) * 1e3);
    await cache.set('embedding', vector);
    const back = await cache.get('embedding');
    check(back instanceof Float32Array, `a Float32Array comes back, got ${Object.prototype.toString.call(back)}`);
    check((back as Float32Array).every((x, i) => Object.is(x, vector[i])), 'every float is bit-identical');
    const raw = await store.get(await cache.storeKey('embedding'));
    // 3-byte header + 4 bytes per float: binary, not ~30 KiB of JSON text.
    same(raw?.byteLength, 3 + 1536 * 4, 'stored bytes');
  },

  async 'rejects bad keys and values with INVALID_ARGUMENT'(store) {
    same(await errorCode(() => store.set('', new Uint8Array(1))), 'INVALID_ARGUMENT', 'empty key');
    same(await errorCode(() => store.set('k', 'text' as unknown as Uint8Array)), 'INVALID_ARGUMENT', 'string value');
    same(await errorCode(() => store.set('k', new Uint8Array(1), Number.NaN)), 'INVALID_ARGUMENT', 'NaN deadline');
    same(await errorCode(() => store.setMany([{ key: 7 as unknown as string, value: new Uint8Array(1) }])), 'INVALID_ARGUMENT', 'numeric key in a batch');
    same(await errorCode(() => store.getMany!('k' as unknown as string[])), 'INVALID_ARGUMENT', 'getMany of a string');
    same(await store.get('k'), undefined, 'nothing written by a rejected call');
  },
};

/** Runs every contract check on a fresh store each; never throws, reports each result. */
export async function runStoreContract(open: OpenStore): Promise<ContractResult[]> {
  const results: ContractResult[] = [];
  for (const [name, run] of Object.entries(checks)) {
    const clock = { time: 1_000_000 };
    let store: CacheStore | undefined;
    try {
      store = await open(() => clock.time);
      await run(store, clock);
      results.push({ name });
    } catch (error) {
      results.push({ name, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    } finally {
      await store?.close();
    }
  }
  return results;
}
