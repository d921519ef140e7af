import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { H2OEviction } from './h2o.js';
import { sinkWindowKeep } from './sink-window.js';
import { SirLLMEviction } from './sirllm.js';
import { slidingWindowKeep } from './sliding-window.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('slidingWindowKeep', () => {
  it('keeps exactly the last `window` positions', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(60), (length, window) => {
        expect(Array.from(slidingWindowKeep(length, window))).toEqual(range(length).filter((i) => i >= length - window));
      }),
    );
  });
});

describe('sinkWindowKeep (StreamingLLM)', () => {
  it('keeps exactly the sinks and the last `window` positions, with positions re-assigned within the cache', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(8), fc.nat(60), (length, sinks, window) => {
        const { keep, ropePositions } = sinkWindowKeep(length, { sinks, window });
        expect(Array.from(keep)).toEqual(range(length).filter((i) => i < sinks || i >= length - window));
        expect(Array.from(ropePositions)).toEqual(range(keep.length));
      }),
    );
    expect(Array.from(sinkWindowKeep(10, { window: 3 }).keep)).toEqual([0, 1, 2, 3, 7, 8, 9]);
  });

  it('rejects negative sizes', () => {
    expect(() => sinkWindowKeep(10, { window: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

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

describe('SirLLMEviction', () => {
  it('keeps sinks, the highest-entropy tokens and the most recent, with decay fading old entropy', () => {
    const sir = new SirLLMEviction({ sinks: 1, recent: 2, entropyTokens: 1, decay: 0.5 });
    sir.append([0.1, 0.2, 5.0, 0.3, 0.4, 0.1]);
    // Sink 0, top entropy 2, then the two most recent: 4 and 5.
    expect(Array.from(sir.evict())).toEqual([1, 3]);
    expect(Array.from(sir.kept())).toEqual([0, 2, 4, 5]);
    sir.decay();
    sir.decay();
    sir.decay(); // 5.0 → 0.625
    sir.append([1.0]);
    // Position 6 (entropy 1.0) now outranks the faded 2 (0.625); recent = 5, 6.
    expect(Array.from(sir.evict())).toEqual([2]);
    expect(Array.from(sir.kept())).toEqual([0, 4, 5, 6]);
    expect(Array.from(sir.ropePositions())).toEqual([0, 1, 2, 3]);
  });

  it('keeps exactly the specified positions on random traces (vs a brute-force rule)', () => {
    fc.assert(
      fc.property(
        fc.nat(3),
        fc.nat(4),
        fc.nat(4),
        fc.constantFrom(1, 0.5, 0.9),
        fc.array(fc.tuple(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 6 }), fc.boolean()), { maxLength: 20 }),
        (sinks, recent, entropyTokens, decay, rounds) => {
          const sir = new SirLLMEviction({ sinks, recent, entropyTokens, decay });
          let model: { position: number; entropy: number }[] = [];
          let next = 0;
          for (const [entropies, decayNow] of rounds) {
            sir.append(entropies);
            for (const entropy of entropies) model.push({ position: next++, entropy });
            const capacity = sinks + recent + entropyTokens;
            if (model.length > capacity) {
              const keep = new Set(model.slice(0, sinks).map((e) => e.position));
              const byEntropy = model.slice(sinks).sort((a, b) => b.entropy - a.entropy || b.position - a.position);
              byEntropy.slice(0, entropyTokens).forEach((e) => keep.add(e.position));
              for (const e of [...model].reverse()) if (keep.size < capacity) keep.add(e.position);
              const evicted = model.filter((e) => !keep.has(e.position)).map((e) => e.position);
              model = model.filter((e) => keep.has(e.position));
              expect(Array.from(sir.evict())).toEqual(evicted);
            } else expect(sir.evict().length).toBe(0);
            expect(Array.from(sir.kept())).toEqual(model.map((e) => e.position));
            expect(sir.kept().length).toBe(Math.min(next, capacity));
            for (let p = 0; p < Math.min(sinks, next); p++) expect(model.some((e) => e.position === p)).toBe(true);
            if (decayNow) {
              sir.decay();
              for (const e of model) e.entropy *= decay;
            }
            expect(Array.from(sir.keptEntropies())).toEqual(model.map((e) => e.entropy));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects entropies that are not −log p', () => {
    const sir = new SirLLMEviction({ recent: 1, entropyTokens: 1 });
    expect(() => sir.append([-1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new SirLLMEviction({ recent: 1, entropyTokens: 1, decay: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
