import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { H2OEviction } from './h2o.js';

describe('H2OEviction', () => {
  it('keeps the recent window plus the heaviest hitters (worked example)', () => {
    const h2o = new H2OEviction({ budget: 3, recent: 1 });
    h2o.append(3);
    h2o.observe([0.7, 0.1, 0.2]);
    expect(Array.from(h2o.evict())).toEqual([]);
    h2o.append();
    h2o.observe([0.5, 0.05, 0.15, 0.3]);
    // Scores: 1.2, 0.15, 0.35, 0.3 (recent): position 1 is the lightest non-recent token.
    expect(Array.from(h2o.evict())).toEqual([1]);
    expect(Array.from(h2o.kept())).toEqual([0, 2, 3]);
  });

  it('after every step holds exactly recent ∪ the greedy heaviest hitters (vs a brute-force simulation)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.nat(8),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 64, maxLength: 64 })), { maxLength: 25 }),
        (budget, recentRaw, steps) => {
          const recent = Math.min(recentRaw, budget);
          const h2o = new H2OEviction({ budget, recent });
          // Reference: a Map from original position to accumulated score.
          const cached = new Map<number, number>();
          let next = 0;
          for (const [count, rawWeights] of steps) {
            h2o.append(count);
            for (let i = 0; i < count; i++) cached.set(next++, 0);
            const order = [...cached.keys()].sort((a, b) => a - b);
            const weights = order.map((_, i) => rawWeights[i % rawWeights.length]! / 8);
            h2o.observe(weights);
            order.forEach((p, i) => cached.set(p, cached.get(p)! + weights[i]!));
            const evicted: number[] = [];
            while (cached.size > budget) {
              const sorted = [...cached.keys()].sort((a, b) => a - b);
              const candidates = sorted.slice(0, sorted.length - recent);
              const victim = candidates.reduce((best, p) => (cached.get(p)! < cached.get(best)! ? p : best));
              cached.delete(victim);
              evicted.push(victim);
            }
            expect(Array.from(h2o.evict())).toEqual(evicted);
            expect(Array.from(h2o.kept())).toEqual([...cached.keys()].sort((a, b) => a - b));
            expect(h2o.kept().length).toBe(Math.min(budget, next));
            // The `recent` newest positions are always there.
            for (let p = Math.max(0, next - recent); p < next; p++) expect(cached.has(p)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
