import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SirLLMEviction } from './sirllm.js';

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
