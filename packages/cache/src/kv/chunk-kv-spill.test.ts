import { isChunkwiseError } from '@chunkwise/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../stores/memory-store.js';
import { redisStore } from '../stores/redis-store.js';
import { sqliteStore } from '../stores/sqlite-store.js';
import type { CacheStore } from '../stores/cache-store.js';
import { ChunkKVCache } from './chunk-kv-cache.js';
import { decodeChunkKVRecord, encodeChunkKVRecord } from './chunk-kv-record.js';

const redisUrl = process.env.CHUNKWISE_REDIS_URL ?? (process.env.CI ? 'redis://127.0.0.1:6390' : undefined);

/** Deterministic KV for chunk `id`: `floats` values that differ per chunk. */
const kvOf = (id: number, floats = 64) => Float32Array.from({ length: floats }, (_, i) => Math.sin(id * 1000 + i) * 100);
const tokensOf = (id: number) => Array.from({ length: 8 }, (_, i) => id * 100 + i);
const bits = (kv: Float32Array) => Array.from(new Uint32Array(kv.buffer, kv.byteOffset, kv.length));

/** Computes what the plan says to compute and stores it, as an engine would. */
async function prompt(cache: ChunkKVCache<Float32Array>, ids: number[]) {
  const plan = await cache.plan(ids.map(tokensOf));
  for (const step of plan.steps) {
    if (!step.entry) cache.put(step.key, { length: step.length, position: step.start, prefixKeys: plan.steps.slice(0, step.index).map((s) => s.key), kv: kvOf(ids[step.index]!), bytes: 256 });
  }
  return plan;
}

describe('chunk KV records', () => {
  it('round-trip one Float32Array or several, bit for bit, from any byte offset', () => {
    fc.assert(
      fc.property(fc.array(fc.float32Array({ maxLength: 40 }), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.nat(7), (parts, single, offset) => {
        const meta = { length: 5, position: 17, prefixKeys: ['a', 'b'], bytes: 400, cost: 5, frequency: 3 };
        const record = encodeChunkKVRecord(meta, single ? parts[0]! : parts);
        const shifted = new Uint8Array(record.length + offset);
        shifted.set(record, offset);
        const back = decodeChunkKVRecord(shifted.subarray(offset), 'k');
        expect(back.meta).toEqual(meta);
        const got = back.kv instanceof Float32Array ? [back.kv] : back.kv;
        expect(got.map(bits)).toEqual((single ? [parts[0]!] : parts).map(bits));
        expect(back.kv instanceof Float32Array).toBe(single);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('refuse foreign or truncated bytes with CORRUPT_DATA', () => {
    const record = encodeChunkKVRecord({ length: 1, position: 0, prefixKeys: [], bytes: 4, cost: 1, frequency: 1 }, [new Float32Array([1, 2])]);
    for (const bad of [new Uint8Array([1, 2, 3]), record.subarray(0, record.length - 4), Uint8Array.from([0x43, 0x4b, 0x56, 1, 255, 0, 0, 0])]) {
      expect(() => decodeChunkKVRecord(bad, 'k')).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    }
  });
});

describe('ChunkKVCache with a spill tier', () => {
  it('spills evicted chunks to SQLite and brings them back on a hit, with their context and frequency', async () => {
    const store = sqliteStore({ path: ':memory:' });
    const cache = new ChunkKVCache<Float32Array>({ modelId: 'm', capacityBytes: 512, spill: { store } });
    await prompt(cache, [1]);
    await prompt(cache, [1]); // chunk 1: frequency 2
    await prompt(cache, [2, 3]); // over capacity: GDSF evicts 2 (lowest), 3 stays as the one just put
    const key2 = await cache.key(tokensOf(2));
    expect(cache.peek(key2)).toBeUndefined();
    expect(cache.stats.spilled).toBe(1);
    expect(store.get(`chunk-kv:${key2}`)?.byteLength).toBeGreaterThan(64 * 4);

    // Chunk 2 recurs at another position: reused from SQLite, not recomputed in full.
    const plan = await prompt(cache, [4, 2]);
    const step = plan.steps[1]!;
    // It was computed first in its prompt: position 0, no prefix; here it starts at 8.
    expect(step.entry?.position).toBe(0);
    expect(step.entry?.prefixKeys).toEqual([]);
    expect(step.positionShift).toBe(8);
    expect(bits(step.entry!.kv)).toEqual(bits(kvOf(2)));
    expect(Array.from(step.recompute)).toEqual([8, 9]);
    expect(cache.stats).toMatchObject({ spillHits: 1 });
    expect(cache.peek(key2)?.frequency).toBe(2);
    store.close();
  });

  it('still reuses a chunk of the prompt that bringing another one back pushed out of memory', async () => {
    const store = sqliteStore({ path: ':memory:' });
    const cache = new ChunkKVCache<Float32Array>({ modelId: 'm', capacityBytes: 512, spill: { store } });
    await prompt(cache, [1]);
    await prompt(cache, [2]);
    await prompt(cache, [3]); // 1 spilled; 2 and 3 in memory
    // Bringing 1 back evicts 2 (equal priority, older): 2 is in this prompt and must still be reused.
    const plan = await cache.plan([tokensOf(2), tokensOf(1)]);
    expect(plan.steps.map((s) => s.entry !== undefined)).toEqual([true, true]);
    expect(bits(plan.steps[0]!.entry!.kv)).toEqual(bits(kvOf(2)));
    expect(cache.stats).toMatchObject({ memoryHits: 1, spillHits: 1, spilled: 2 });
    store.close();
  });

  it('shares spilled chunks with another cache (another process) on the same SQLite file', async () => {
    const path = `${process.env.TMPDIR ?? '/tmp'}/chunkwise-spill-${process.pid}-${Date.now()}.db`;
    const writer = sqliteStore({ path });
    const first = new ChunkKVCache<Float32Array>({ modelId: 'm', capacityBytes: 256, spill: { store: writer } });
    await prompt(first, [7]);
    await prompt(first, [8]); // evicts 7 to the file
    writer.close();
    const reader = sqliteStore({ path });
    const second = new ChunkKVCache<Float32Array>({ modelId: 'm', capacityBytes: 256, spill: { store: reader } });
    const plan = await second.plan([tokensOf(7)]);
    expect(bits(plan.steps[0]!.entry!.kv)).toEqual(bits(kvOf(7)));
    expect(plan.recomputeTokens).toBe(0);
    reader.close();
    const { rmSync } = await import('node:fs');
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  });

  it('never loses a chunk: every chunk put and not deleted is in memory or in the store, with its own KV (random traces)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('prompt', 'prompt', 'delete'), fc.array(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 4 })), { maxLength: 25 }), async (ops) => {
        const store = sqliteStore({ path: ':memory:' });
        const cache = new ChunkKVCache<Float32Array>({ modelId: 'm', capacityBytes: 768, spill: { store } });
        const live = new Set<number>();
        for (const [op, ids] of ops) {
          if (op === 'delete') {
            for (const id of ids) {
              cache.delete(await cache.key(tokensOf(id)));
              live.delete(id);
            }
            continue;
          }
          const plan = await prompt(cache, [...new Set(ids)]);
          for (const step of plan.steps) if (step.entry) expect(bits(step.entry.kv)).toEqual(bits(kvOf([...new Set(ids)][step.index]!)));
          for (const id of ids) live.add(id);
          expect(cache.bytes).toBeLessThanOrEqual(768);
        }
        for (let id = 0; id < 12; id++) {
          const key = await cache.key(tokensOf(id));
          const where = cache.peek(key) ? 'memory' : store.get(`chunk-kv:${key}`) ? 'store' : 'gone';
          expect(where === 'gone').toBe(!live.has(id));
        }
        store.close();
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('reports failing spills from flush() or to onError, and failing reads from plan or as misses', async () => {
    // A spill store too small for a record refuses every write with LIMIT_EXCEEDED.
    const tiny = memoryStore({ maxBytes: 200 });
    const strict = new ChunkKVCache<Float32Array>({ modelId: 'm', capacityBytes: 256, spill: { store: tiny } });
    await prompt(strict, [1]);
    await prompt(strict, [2]); // the spill of 1 fails
    await expect(strict.flush()).rejects.toSatisfy((e) => isChunkwiseError(e, 'LIMIT_EXCEEDED'));
    await expect(strict.flush()).resolves.toBeUndefined();
    expect((await strict.plan([tokensOf(1)])).steps[0]!.entry).toBeUndefined();

    const closed = sqliteStore({ path: ':memory:' });
    closed.close();
    const reading = new ChunkKVCache<Float32Array>({ modelId: 'm', capacityBytes: 256, spill: { store: closed } });
    await expect(reading.plan([tokensOf(1)])).rejects.toSatisfy((e) => isChunkwiseError(e, 'STORE'));

    const errors: string[] = [];
    const lenient = new ChunkKVCache<Float32Array>({ modelId: 'm', capacityBytes: 256, spill: { store: closed, onError: (e) => errors.push(e.code) } });
    await prompt(lenient, [1]); // read fails: a miss
    await prompt(lenient, [2]); // read fails, then the spill of 1 fails
    const plan = await lenient.plan([tokensOf(1)]);
    expect(plan.steps[0]!.entry).toBeUndefined();
    expect(errors).toEqual(['STORE', 'STORE', 'STORE', 'STORE']);
    await expect(lenient.flush()).resolves.toBeUndefined();
  });

  it('rejects KV it cannot spill and bad spill options with INVALID_ARGUMENT', () => {
    const store: CacheStore = memoryStore({ maxBytes: 1 << 20 });
    const cache = new ChunkKVCache<Float32Array>({ modelId: 'm', capacityBytes: 256, spill: { store } });
    expect(() => cache.put('k', { length: 1, position: 0, prefixKeys: [], kv: [1, 2] as unknown as Float32Array, bytes: 8 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new ChunkKVCache<Float32Array>({ modelId: 'm', capacityBytes: 256, spill: { store, ttl: -1 } })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new ChunkKVCache<Float32Array>({ modelId: 'm', capacityBytes: 256, spill: { store: {} as CacheStore } })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  describe.skipIf(!redisUrl)('on Redis', () => {
    const stores: CacheStore[] = [];
    afterAll(async () => {
      for (const s of stores) await s.close();
    });

    it('spills per-layer K/V arrays to Redis and reuses them, also before the write has landed', async () => {
      const namespace = `chunk-kv-test:${process.pid}-${Date.now().toString(36)}`;
      const store = redisStore({ url: redisUrl! });
      stores.push(store);
      const layers = (id: number) => [kvOf(id, 32), kvOf(id + 0.5, 32), kvOf(id + 0.25, 16)];
      const cache = new ChunkKVCache<Float32Array[]>({ modelId: 'm', capacityBytes: 300, spill: { store, namespace, ttl: 60_000 } });
      const put = async (id: number) => {
        const plan = await cache.plan([tokensOf(id)]);
        if (!plan.steps[0]!.entry) cache.put(plan.steps[0]!.key, { length: 8, position: 0, prefixKeys: [], kv: layers(id), bytes: 200 });
      };
      await put(1);
      await put(2); // evicts 1: its write to Redis is in flight
      const inFlight = await cache.plan([tokensOf(1)]);
      expect(inFlight.steps[0]!.entry!.kv.map(bits)).toEqual(layers(1).map(bits)); // served from the pending write
      await cache.flush(); // 2 was evicted by 1's return, and is now in Redis too
      const key2 = await cache.key(tokensOf(2));
      expect(cache.peek(key2)).toBeUndefined();
      expect((await store.get(`${namespace}:${key2}`))?.byteLength).toBeGreaterThan(80 * 4);
      const fromRedis = await cache.plan([tokensOf(2)]);
      expect(fromRedis.steps[0]!.entry!.kv.map(bits)).toEqual(layers(2).map(bits));
      expect(cache.stats.spillHits).toBe(2);
      cache.delete(key2);
      await cache.flush();
      expect(await store.get(`${namespace}:${key2}`)).toBeUndefined();
      await store.delete(`${namespace}:${await cache.key(tokensOf(1))}`);
    });
  });
});
