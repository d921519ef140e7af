import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packGroups } from './merge-groups.js';

describe('packGroups', () => {
  it('packs as many consecutive items as fit, in order, covering each item once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 200 }), fc.integer({ min: 50, max: 400 }), (sizes, capacity) => {
        const groups = packGroups(sizes, capacity);
        expect(groups.flat()).toEqual(sizes.map((_, i) => i));
        groups.forEach((group, g) => {
          expect(group.reduce((sum, i) => sum + sizes[i]!, 0)).toBeLessThanOrEqual(capacity);
          // Greedy: the next group's first item would not have fit into this one.
          const next = groups[g + 1];
          if (next) expect(group.reduce((sum, i) => sum + sizes[i]!, 0) + sizes[next[0]!]!).toBeGreaterThan(capacity);
        });
      }),
    );
  });

  it('gives an oversized item a group of its own', () => {
    expect(packGroups([5, 120, 5, 5], 100)).toEqual([[0], [1], [2, 3]]);
    expect(packGroups([], 100)).toEqual([]);
  });
});
