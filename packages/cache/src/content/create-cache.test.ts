import { hashKey, isChunkwiseError } from '@chunkwise/core';
import { describe, expect, it, vi } from 'vitest';
import type { CacheStore } from '../stores/cache-store.js';
import { memoryStore } from '../stores/memory-store.js';
import { createCache } from './create-cache.js';

describe('createCache', () => {
  it('stores JSON and Float32Array values under <namespace>:<hashKey(key)>', async () => {
    const store = memoryStore({ maxBytes: 1 << 20 });
    const cache = createCache({ store, namespace: 'test' });
    await cache.set({ text: 'whale', model: 'm' }, { score: 1.5, tags: ['a'] });
    expect(await cache.get({ model: 'm', text: 'whale' })).toEqual({ score: 1.5, tags: ['a'] });
    const id = `test:${await hashKey({ text: 'whale', model: 'm' })}`;
    expect(await cache.storeKey({ text: 'whale', model: 'm' })).toBe(id);
    expect(store.get(id)).toBeInstanceOf(Uint8Array);

    await cache.set('vec', new Float32Array([0.25, -1, 3]));
    expect(await cache.get('vec')).toEqual(new Float32Array([0.25, -1, 3]));
    expect(store.get(await cache.storeKey('vec'))!.length).toBe(3 + 12);
    expect(await cache.delete('vec')).toBe(true);
    expect(await cache.get('vec')).toBeUndefined();
  });

  it('getMany reads several keys in order, through the store getMany or, for a custom store without one, get', async () => {
    const base = memoryStore({ maxBytes: 1 << 20 });
    const custom: CacheStore = { name: 'custom', get: (k) => base.get(k), set: (k, v, e) => base.set(k, v, e), setMany: (e) => base.setMany(e), delete: (k) => base.delete(k), close: () => base.close() };
    for (const store of [base, custom]) {
      const cache = createCache({ store, namespace: 'many' });
      await cache.set('a', { n: 1 });
      await cache.set({ id: 2 }, new Float32Array([2, 3]));
      expect(await cache.getMany([{ id: 2 }, 'missing', 'a'])).toEqual([new Float32Array([2, 3]), undefined, { n: 1 }]);
    }
    const getMany = vi.spyOn(base, 'getMany');
    await createCache({ store: base, namespace: 'many' }).getMany(['a', 'b']);
    expect(getMany).toHaveBeenCalledTimes(1);
    await expect(createCache({ store: base, namespace: 'many' }).getMany('a' as unknown as unknown[])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('keeps namespaces apart in one store', async () => {
    const store = memoryStore({ maxBytes: 1 << 20 });
    const a = createCache({ store, namespace: 'a' });
    const b = createCache({ store, namespace: 'b' });
    await a.set('k', 1);
    expect(await b.get('k')).toBeUndefined();
    expect(await a.get('k')).toBe(1);
  });

  it('expires entries after the default ttl or a per-entry ttl', async () => {
    let time = 0;
    const store = memoryStore({ maxBytes: 1 << 20, now: () => time });
    const cache = createCache({ store, namespace: 't', ttl: 100, now: () => time });
    await cache.set('short', 1, { ttl: 10 });
    await cache.set('default', 2);
    time = 10;
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('default')).toBe(2);
    time = 100;
    expect(await cache.get('default')).toBeUndefined();
    await expect(cache.set('x', 1, { ttl: -1 })).rejects.toSatisfy((e) => isChunkwiseError(e, 'INVALID_ARGUMENT'));
  });

  it('runs compute once for concurrent callers of one key (single-flight) and caches the result', async () => {
    const cache = createCache<number>({ store: memoryStore({ maxBytes: 1 << 20 }), namespace: 'sf' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const compute = vi.fn(async () => {
      await gate;
      return 42;
    });
    const calls = Array.from({ length: 20 }, () => cache.getOrCompute('k', compute));
    await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    expect(await Promise.all(calls)).toEqual(Array(20).fill(42));
    expect(compute).toHaveBeenCalledTimes(1);
    expect(await cache.getOrCompute('k', compute)).toBe(42);
    expect(compute).toHaveBeenCalledTimes(1);
    // A different key computes on its own.
    expect(await cache.getOrCompute('other', async () => 7)).toBe(7);
  });

  it('does not cache a failed compute: every waiting caller sees the error, the next call retries', async () => {
    const cache = createCache<number>({ store: memoryStore({ maxBytes: 1 << 20 }), namespace: 'fail' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = vi.fn(async () => {
      await gate;
      throw new Error('model down');
    });
    const calls = Promise.allSettled([cache.getOrCompute('k', failing), cache.getOrCompute('k', failing)]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    const results = await calls;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(failing).toHaveBeenCalledTimes(1);
    expect(await cache.getOrCompute('k', async () => 5)).toBe(5);
  });

  it('throws store failures by default, and with onStoreError reports them and still computes', async () => {
    const broken: CacheStore = {
      name: 'broken',
      get: () => Promise.reject(new Error('connection refused')),
      set: () => Promise.reject(new Error('connection refused')),
      setMany: () => undefined,
      delete: () => false,
      close: () => undefined,
    };
    await expect(createCache({ store: broken, namespace: 'b' }).getOrCompute('k', () => 1)).rejects.toThrow('connection refused');
    const errors: unknown[] = [];
    const tolerant = createCache({ store: broken, namespace: 'b', onStoreError: (e) => errors.push(e) });
    expect(await tolerant.getOrCompute('k', () => 1)).toBe(1);
    expect(errors).toHaveLength(2);
  });

  it('refuses to overwrite an entry it cannot read (CORRUPT_DATA), so foreign data is never lost', async () => {
    const store = memoryStore({ maxBytes: 1 << 20 });
    const cache = createCache({ store, namespace: 'c' });
    const id = await cache.storeKey('k');
    store.set(id, new TextEncoder().encode('someone else'));
    await expect(cache.getOrCompute('k', () => 1, {})).rejects.toSatisfy((e) => isChunkwiseError(e, 'CORRUPT_DATA'));
    expect(new TextDecoder().decode(store.get(id))).toBe('someone else');
  });

  it('rejects bad options and values with INVALID_ARGUMENT', async () => {
    const store = memoryStore({ maxBytes: 1000 });
    expect(() => createCache({ store, namespace: '' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => createCache({ store, namespace: 'x', ttl: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const cache = createCache({ store, namespace: 'x' });
    await expect(cache.set('k', new Map() as never)).rejects.toSatisfy((e) => isChunkwiseError(e, 'INVALID_ARGUMENT'));
    await expect(cache.set('k', new Uint8Array(2000))).rejects.toSatisfy((e) => isChunkwiseError(e, 'LIMIT_EXCEEDED'));
  });
});
