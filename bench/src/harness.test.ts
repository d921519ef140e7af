import { describe, expect, it } from 'vitest';
import { formatCaseTable, median, runCase, upsertSection } from './harness.js';

describe('bench harness', () => {
  it('takes medians of odd and even samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('alternates contenders, runs warm-up and set-up, and computes ratios ours/peer', async () => {
    const order: string[] = [];
    let setups = 0;
    const busy = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    const result = await runCase({
      name: 'case',
      iterations: 3,
      warmup: 1,
      bytes: 1e6,
      contenders: [
        { name: 'fast', ours: true, setup: () => setups++, run: () => { order.push('fast'); busy(2); } },
        { name: 'slow', setup: () => setups++, run: () => { order.push('slow'); busy(8); } },
      ],
    });
    expect(setups).toBe(2);
    expect(order).toEqual(['fast', 'slow', 'fast', 'slow', 'slow', 'fast', 'fast', 'slow']);
    const [fast, slow] = result.measurements;
    expect(fast!.runs).toBe(3);
    expect(slow!.ratioOursToThis).toBeLessThan(1);
    expect(fast!.ratioOursToThis).toBe(1);
    expect(fast!.mbPerSec).toBeCloseTo(1 / (fast!.wallMs / 1000), 6);
    expect(formatCaseTable(result)).toContain('| **fast** (ours) |');
  });

  it('replaces only its own section of the report', () => {
    const first = upsertSection('# Benchmarks\n', 'a', 'A1');
    const both = upsertSection(first, 'b', 'B1');
    const updated = upsertSection(both, 'a', 'A2');
    expect(updated).toBe('# Benchmarks\n\n<!-- bench:a:start -->\nA2\n<!-- bench:a:end -->\n\n<!-- bench:b:start -->\nB1\n<!-- bench:b:end -->\n');
  });
});
