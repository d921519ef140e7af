import type { Chunk, Tokenizer } from '@chunkwise/core';
import { expect } from 'vitest';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const CONTENT = /\S/u;

/**
 * The contract every chunker keeps, checked chunk by chunk: exact offsets, exact counts, the hard
 * limit, order, content in every chunk, every non-whitespace character covered, overlap within
 * its bound, and cuts only on grapheme boundaries unless one grapheme alone is over the limit.
 */
export function expectChunkInvariants(
  text: string,
  chunks: readonly Chunk[],
  tokenizer: Tokenizer,
  options: { maxTokens: number; overlap?: number },
): void {
  const { maxTokens, overlap = 0 } = options;
  if (!CONTENT.test(text)) {
    // Nothing but whitespace (or nothing at all): no chunk has anything to carry.
    expect(chunks).toEqual([]);
    return;
  }
  expect(chunks.length).toBeGreaterThan(0);
  // Whitespace may be left out only where no neighbour could take it; content never is.
  expect(text.slice(0, chunks[0]?.start)).toMatch(/^\s*$/u);
  expect(text.slice(chunks[chunks.length - 1]?.end)).toMatch(/^\s*$/u);
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
    expect(chunk.text).toMatch(CONTENT);
    expect(chunk.tokenCount).toBe(tokenizer.count(chunk.text));
    expect(chunk.tokenCount).toBeLessThanOrEqual(maxTokens);
    const previous = chunks[i - 1];
    if (previous) {
      expect(chunk.end).toBeGreaterThan(previous.end);
      expect(chunk.start).toBeGreaterThan(previous.start);
      if (chunk.start >= previous.end) {
        // A gap between neighbours holds only whitespace that fitted neither of them.
        expect(text.slice(previous.end, chunk.start)).toMatch(/^\s*$/u);
      } else {
        // Neighbours share text only with overlap, and never more than `overlap` tokens of it.
        expect(overlap).toBeGreaterThan(0);
        expect(tokenizer.count(text.slice(chunk.start, previous.end))).toBeLessThanOrEqual(overlap);
      }
    }
    for (const cut of [chunk.start, chunk.end]) {
      if (cut === text.length) continue;
      const cluster = clusterAt(cut);
      if (cluster.index === cut) continue;
      // A cut inside a grapheme is allowed only when that grapheme alone is over the limit.
      expect(tokenizer.count(cluster.segment)).toBeGreaterThan(maxTokens);
      const code = text.charCodeAt(cut);
      expect(code >= 0xdc00 && code <= 0xdfff && (text.charCodeAt(cut - 1) & 0xfc00) === 0xd800).toBe(false);
    }
  });
}

/**
 * Overlap that means what it says: with `overlap > 0`, every chunk shares text with the one before
 * it whenever the boundaries allow any — some token-and-grapheme boundary inside the previous chunk
 * (after its start) leaves at most `overlap` tokens to repeat and keeps the chunk within `maxTokens`
 * — unless the two are separated by whitespace that neither could take.
 */
export function expectNeighboursOverlap(
  text: string,
  chunks: readonly Chunk[],
  tokenizer: Tokenizer,
  options: { maxTokens: number; overlap: number },
): void {
  const { maxTokens, overlap } = options;
  const stops = tokenStops(text, tokenizer);
  chunks.forEach((chunk, i) => {
    const previous = chunks[i - 1];
    if (!previous || chunk.start < previous.end) return;
    if (/^\s+$/u.test(text.slice(previous.end, chunk.start))) return;
    const possible = stops.find(
      (stop) =>
        stop > previous.start &&
        stop < previous.end &&
        isGraphemeBoundary(text, stop) &&
        tokenizer.count(text.slice(stop, previous.end)) <= overlap &&
        tokenizer.count(text.slice(stop, chunk.end)) <= maxTokens,
    );
    expect(possible, `chunk ${String(i)} shares nothing with chunk ${String(i - 1)}, though it could start at ${String(possible)}`).toBeUndefined();
  });
}

/** Positions where a token of the whole-text pass ends and the next one starts (no code point cut). */
function tokenStops(text: string, tokenizer: Tokenizer): number[] {
  const { starts, ends } = tokenizer.encodeWithOffsets?.(text) ?? { starts: undefined, ends: undefined };
  if (!starts || !ends) return Array.from({ length: text.length }, (_, i) => i);
  const stops: number[] = [];
  for (let i = 0; i < ends.length; i++) if ((starts[i + 1] ?? text.length) >= (ends[i] ?? 0)) stops.push(ends[i] ?? 0);
  return stops;
}

function isGraphemeBoundary(text: string, position: number): boolean {
  const from = Math.max(0, position - 128);
  return graphemes.segment(text.slice(from, position + 128)).containing(position - from)?.index === position - from;
}
