import type { Chunk, Tokenizer } from '@chunkwise/core';
import { expect } from 'vitest';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The contract every chunker keeps, checked chunk by chunk: exact offsets, exact counts, the hard
 * limit, order and full coverage, and cuts only on grapheme boundaries unless one grapheme alone
 * is over the limit.
 */
export function expectChunkInvariants(
  text: string,
  chunks: readonly Chunk[],
  tokenizer: Tokenizer,
  options: { maxTokens: number; overlap?: number; tiles?: boolean },
): void {
  const { maxTokens, overlap = 0, tiles = overlap === 0 } = options;
  if (text.length === 0) {
    expect(chunks).toEqual([]);
    return;
  }
  expect(chunks.length).toBeGreaterThan(0);
  expect(chunks[0]?.start).toBe(0);
  expect(chunks[chunks.length - 1]?.end).toBe(text.length);
  // V8's Segments are slow on long strings (each step or containing() pays for the whole text),
  // so each cut is checked in a window of 256 code units around it.
  const clusterAt = (cut: number): { index: number; segment: string } => {
    const from = Math.max(0, cut - 128);
    const found = graphemes.segment(text.slice(from, cut + 128)).containing(cut - from);
    return { index: from + (found?.index ?? cut - from), segment: found?.segment ?? '' };
  };
  chunks.forEach((chunk, i) => {
    expect(chunk.index).toBe(i);
    expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
    expect(chunk.end).toBeGreaterThan(chunk.start);
    expect(chunk.tokenCount).toBe(tokenizer.count(chunk.text));
    expect(chunk.tokenCount).toBeLessThanOrEqual(maxTokens);
    const previous = chunks[i - 1];
    if (previous) {
      expect(chunk.end).toBeGreaterThan(previous.end);
      expect(chunk.start).toBeGreaterThan(previous.start);
      if (tiles) expect(chunk.start).toBe(previous.end);
      else expect(chunk.start).toBeLessThanOrEqual(previous.end);
    }
    for (const cut of [chunk.start, chunk.end]) {
      if (cut === text.length) continue;
      const cluster = clusterAt(cut);
      if (cluster.index === cut) continue;
      // A cut inside a grapheme is allowed only when that grapheme alone is over the limit.
      expect(tokenizer.count(cluster.segment)).toBeGreaterThan(maxTokens - overlap);
      const code = text.charCodeAt(cut);
      expect(code >= 0xdc00 && code <= 0xdfff && (text.charCodeAt(cut - 1) & 0xfc00) === 0xd800).toBe(false);
    }
  });
}
