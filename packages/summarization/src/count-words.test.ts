import { describe, expect, it } from 'vitest';
import { countWords } from './count-words.js';

describe('countWords', () => {
  it('counts runs of letters and digits, keeping contractions, hyphens and decimals whole', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  — … ')).toBe(0);
    expect(countWords("Don't panic: the well-known U.S. rate is 3.5 percent.")).toBe(9);
    expect(countWords('Ahab—Starbuck')).toBe(2);
    expect(countWords('Café déjà vu, 東京')).toBe(4);
  });
});
