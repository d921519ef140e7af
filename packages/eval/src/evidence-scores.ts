import type { Span } from '@chunkwise/core';
import { describeValue, invalid, isObject, requireArray } from './argument-checks.js';
import { scoresFromSizes, type SpanScores } from './span-scores.js';
import { intersectionSize, setSize, unionSpans } from './span-set.js';

/** A span of one source among several: a citation, or a gold reference of a corpus. */
export interface SourceSpan extends Span {
  /** The source (document, corpus id) the offsets are in; spans without one share a single source. */
  sourceId?: string;
}

function bySource(spans: readonly SourceSpan[], what: string): Map<string, Span[]> {
  requireArray(spans, `${what} spans`);
  const groups = new Map<string, Span[]>();
  for (const span of spans) {
    if (!isObject(span)) invalid(`A ${what.toLowerCase()} span must be { sourceId?, start, end }, got ${describeValue(span)}.`);
    if (span.sourceId !== undefined && typeof span.sourceId !== 'string') invalid(`sourceId must be a string, got ${describeValue(span.sourceId)}.`);
    const key = span.sourceId ?? '';
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(span);
  }
  return groups;
}

/**
 * Span recall, precision and IoU of cited evidence against gold evidence over several sources:
 * characters are pooled across sources (a citation of the right offsets in the wrong document
 * counts nothing). With one source this is `spanScores`.
 */
export function evidenceScores(cited: readonly SourceSpan[], gold: readonly SourceSpan[]): SpanScores {
  const c = bySource(cited, 'Cited');
  const g = bySource(gold, 'Gold');
  let shared = 0;
  let citedSize = 0;
  let goldSize = 0;
  for (const [source, spans] of c) {
    const set = unionSpans(spans, 'A cited span');
    citedSize += setSize(set);
    const other = g.get(source);
    if (other) shared += intersectionSize(set, unionSpans(other, 'A gold span'));
  }
  for (const spans of g.values()) goldSize += setSize(unionSpans(spans, 'A gold span'));
  return scoresFromSizes(shared, citedSize, goldSize);
}
