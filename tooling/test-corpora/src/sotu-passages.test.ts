import { describe, expect, it } from 'vitest';
import { sotuPassages } from './sotu-passages.js';

describe('sotuPassages', () => {
  const passages = sotuPassages();

  it('packs every address into passages of at least 100 words, the last of an address excepted', () => {
    expect(passages.length).toBeGreaterThan(15_000);
    const lastOfAddress = new Set<number>();
    passages.forEach((p, i) => {
      if (passages[i + 1]?.address !== p.address) lastOfAddress.add(i);
    });
    passages.forEach((p, i) => {
      if (!lastOfAddress.has(i)) expect(p.text.split(' ').length, p.id).toBeGreaterThanOrEqual(100);
      expect(p.text).toBe(p.sentences.join(' '));
      expect(p.id.startsWith(`${p.address}-`)).toBe(true);
    });
  });

  it('gives unique ids, numbered from 0 within each address', () => {
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
    const first = passages.find((p) => p.year === 1790)!;
    expect(first.id).toBe(`${first.address}-0`);
  });

  it('returns a fresh array each call, so a caller may replace entries', () => {
    const copy = sotuPassages();
    expect(copy).not.toBe(passages);
    copy[0] = { ...copy[0]!, text: 'changed' };
    expect(sotuPassages()[0]!.text).not.toBe('changed');
  });
});
