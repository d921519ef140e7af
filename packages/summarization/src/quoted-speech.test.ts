import { describe, expect, it } from 'vitest';
import { quotedShares } from './quoted-speech.js';
import { splitSentences } from '@chunkwise/chunking';

const shares = (text: string) => Array.from(quotedShares(text, splitSentences(text)), (x) => Number(x.toFixed(2)));

describe('quotedShares', () => {
  it('is 1 for a quoted line, 0 for narration, in between for a line with a tag', () => {
    const text = '"Call me Ishmael." The ship sailed. "Aye," said Ahab, "we sail."';
    const [quoted, narration, tagged] = shares(text);
    expect(quoted).toBe(1);
    expect(narration).toBe(0);
    expect(tagged).toBeGreaterThan(0.5);
    expect(tagged).toBeLessThan(1);
  });

  it('carries an open quote across sentences but not across a paragraph break', () => {
    const text = '"First sentence of a speech. Second sentence of it.\n\nNarration resumes here.';
    expect(shares(text)).toEqual([1, 1, 0]);
  });

  it('reads curly quotes as explicit open and close marks', () => {
    expect(shares('“Quoted words here.” Plain words here.')).toEqual([1, 0]);
  });
});
