import { hashKey } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkKVCache, defaultRecomputeRule } from './chunk-kv-cache.js';

const chunkA = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const chunkB = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
const chunkC = [21, 22, 23, 24, 25];

/** Computes and stores every chunk of a prompt the plan says to compute, as an engine would. */
async function run(cache: ChunkKVCache<string>, chunks: number[][]) {
  const plan = await cache.plan(chunks);
  for (const step of plan.steps) {
    if (!step.entry) {
      cache.put(step.key, { length: step.length, position: step.start, prefixKeys: plan.steps.slice(0, step.index).map((s) => s.key), kv: `kv@${step.start}`, bytes: step.length * 10 });
    }
  }
  return plan;
}

describe('ChunkKVCache', () => {
  it('keys chunks by hashKey({ model, tokens })', async () => {
    const cache = new ChunkKVCache<string>({ modelId: 'llama-3-8b', capacityBytes: 1000 });
    expect(await cache.key(chunkA)).toBe(await hashKey({ model: 'llama-3-8b', tokens: Uint32Array.from(chunkA) }));
    const other = new ChunkKVCache<string>({ modelId: 'mistral-7b', capacityBytes: 1000 });
    expect(await other.key(chunkA)).not.toBe(await cache.key(chunkA));
  });

  it('plans: computes new chunks, reuses an unchanged prefix whole, recomputes the first 15% of a moved chunk', async () => {
    const cache = new ChunkKVCache<string>({ modelId: 'm', capacityBytes: 10_000 });
    const first = await run(cache, [chunkA, chunkB]);
    expect(first.recomputeTokens).toBe(20);
    expect(first.recomputeFraction).toBe(1);

    // Same chunks, other order: both reused, each recomputes ⌈0.15 × 10⌉ = 2 leading tokens.
    const swapped = await run(cache, [chunkB, chunkA]);
    expect(swapped.steps.map((s) => Array.from(s.recompute))).toEqual([[0, 1], [10, 11]]);
    expect(swapped.steps.map((s) => s.positionShift)).toEqual([-10, 10]);
    expect(swapped.steps[1]!.entry?.kv).toBe('kv@0');
    expect(swapped.recomputeFraction).toBe(0.2);

    // Same prefix as when cached: exact reuse; the new chunk is computed.
    const extended = await run(cache, [chunkA, chunkB, chunkC]);
    expect(extended.steps.map((s) => s.recompute.length)).toEqual([0, 0, 5]);
    expect(extended.recomputeTokens).toBe(5);
  });

  it('takes a custom rule and rejects one that answers out of range', async () => {
    const cache = new ChunkKVCache<string>({ modelId: 'm', capacityBytes: 10_000, rule: ({ entry }) => entry.length });
    await run(cache, [chunkA]);
    expect((await cache.plan([chunkA])).recomputeTokens).toBe(10);
    const broken = new ChunkKVCache<string>({ modelId: 'm', capacityBytes: 10_000, rule: () => 99 });
    await run(broken, [chunkA]);
    await expect(broken.plan([chunkA])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => defaultRecomputeRule(2)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('evicts by GreedyDual-Size-Frequency: cheap-per-byte, rarely used entries first', async () => {
    const cache = new ChunkKVCache<string>({ modelId: 'm', capacityBytes: 300 });
    cache.put('big-cheap', { length: 10, position: 0, prefixKeys: [], kv: 'a', bytes: 200, cost: 10 }); // H = 0.05
    cache.put('small', { length: 10, position: 0, prefixKeys: [], kv: 'b', bytes: 50, cost: 10 }); // H = 0.2
    cache.put('new', { length: 10, position: 0, prefixKeys: [], kv: 'c', bytes: 100, cost: 10 }); // over: evict big-cheap
    expect(cache.peek('big-cheap')).toBeUndefined();
    expect(cache.clock).toBeCloseTo(0.05);
    expect(cache.bytes).toBe(150);
    expect(() => cache.put('huge', { length: 1, position: 0, prefixKeys: [], kv: 'd', bytes: 301 })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
  });

  it('always evicts the lowest priority and stays within capacity (random traces vs a brute-force GDSF)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 9 }), bytes: fc.integer({ min: 1, max: 100 }), cost: fc.integer({ min: 0, max: 50 }), hits: fc.nat(3) }), { maxLength: 40 }),
        async (trace) => {
          const capacityBytes = 200;
          const cache = new ChunkKVCache<number>({ modelId: 'm', capacityBytes });
          const model = new Map<string, { bytes: number; cost: number; frequency: number; priority: number }>();
          let clock = 0;
          for (const { key: k, bytes, cost, hits } of trace) {
            const key = await cache.key([k]);
            const previous = model.get(key);
            model.delete(key);
            const frequency = (previous?.frequency ?? 0) + 1;
            model.set(key, { bytes, cost, frequency, priority: clock + (frequency * cost) / bytes });
            let used = [...model.values()].reduce((s, e) => s + e.bytes, 0);
            while (used > capacityBytes) {
              const [victimKey, victim] = [...model.entries()].filter(([name]) => name !== key).reduce((a, b) => (b[1].priority < a[1].priority ? b : a));
              clock = victim.priority;
              model.delete(victimKey);
              used -= victim.bytes;
            }
            cache.put(key, { length: 1, position: 0, prefixKeys: [], kv: k, bytes, cost });
            // Reuses: a prompt repeating the chunk `hits` times counts one use per occurrence.
            await cache.plan(Array.from({ length: hits }, () => [k]));
            const m = model.get(key)!;
            m.frequency += hits;
            if (hits > 0) m.priority = clock + (m.frequency * m.cost) / m.bytes;
            expect(cache.bytes).toBeLessThanOrEqual(capacityBytes);
            expect(new Set([...model.keys()])).toEqual(new Set([...model.keys()].filter((name) => cache.peek(name))));
            expect(cache.size).toBe(model.size);
            expect(cache.clock).toBeCloseTo(clock, 9);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
