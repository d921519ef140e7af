import type { Span } from '@chunkwise/core';
import { requireSpans } from './argument-checks.js';
import { assertSpan, intersectionSize, overlaps, setSize, unionSpans } from './span-set.js';

/** How well retrieved ranges cover the reference (gold) ranges, counted in characters. */
export interface SpanScores {
  /** |R ∩ G| / |G|: the share of the evidence that was retrieved. */
  recall: number;
  /** |R ∩ G| / |R|: the share of what was retrieved that is evidence. */
  precision: number;
  /** |R ∩ G| / |R ∪ G|: intersection over union (Jaccard). */
  iou: number;
}

const ZERO: SpanScores = { recall: 0, precision: 0, iou: 0 };

/** Scores from the three set sizes; a zero denominator gives 0, never NaN. */
export function scoresFromSizes(shared: number, retrieved: number, reference: number): SpanScores {
  if (retrieved === 0 || reference === 0) return { ...ZERO };
  return { recall: shared / reference, precision: shared / retrieved, iou: shared / (retrieved + reference - shared) };
}

/**
 * Character-level recall, precision and IoU of `retrieved` against `references`: the span IoU of
 * Chroma's "Evaluating Chunking Strategies for Retrieval" (Smith & Troynikov, 2024), on UTF-16
 * offsets (`tokenSpanScores` counts tokens instead). Both sides are unioned first, so overlapping chunks (chunk overlap, several
 * granularities) never count a character twice. Empty retrieval, or no references, scores 0.
 */
export function spanScores(retrieved: readonly Span[], references: readonly Span[]): SpanScores {
  const r = unionSpans(retrieved, 'A retrieved span');
  const g = unionSpans(references, 'A reference span');
  return scoresFromSizes(intersectionSize(r, g), setSize(r), setSize(g));
}

/** Positions in `chunks` of the chunks that share a character with a reference. */
export function touchingIndices(chunks: readonly Span[], references: readonly Span[]): number[] {
  const g = unionSpans(references, 'A reference span');
  requireSpans(chunks, 'chunks');
  for (const chunk of chunks) assertSpan(chunk, 'A chunk span');
  const out: number[] = [];
  chunks.forEach((chunk, i) => {
    if (g.some((ref) => overlaps(chunk, ref))) out.push(i);
  });
  return out;
}

/** The chunks a reference touches: what the best retrieval a chunking allows would return. */
export function chunksTouching<S extends Span>(chunks: readonly S[], references: readonly Span[]): S[] {
  return touchingIndices(chunks, references).map((i) => chunks[i] as S);
}

/**
 * Precision-Ω: the precision of the best retrieval a chunking allows, i.e. of retrieving every
 * chunk that touches a reference (Chroma's "Evaluating Chunking Strategies for Retrieval", 2024).
 * It is the ceiling any retriever can reach with these chunks: large chunks around small evidence
 * score low however good the search is. 0 when no chunk touches a reference.
 */
export function precisionOmega(chunks: readonly Span[], references: readonly Span[]): number {
  return spanScores(chunksTouching(chunks, references), references).precision;
}
