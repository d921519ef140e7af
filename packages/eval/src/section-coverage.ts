import { ChunkwiseError, type Span } from '@chunkwise/core';
import { describeValue, requireString, requireStrings } from './argument-checks.js';
import { findVerbatim } from './find-verbatim.js';
import { overlaps, unionSpans } from './span-set.js';

export interface SectionCoverage {
  /** Sections with at least one character of the summary's (or answer's) spans. */
  covered: number;
  total: number;
  /** covered / total (0 without sections). */
  share: number;
  /** Per section, in the order given: whether it is covered. */
  perSection: boolean[];
}

/**
 * How evenly a summary draws on its source: the share of sections (chapters, addresses, or equal
 * parts) that at least one summary span touches. An extractive summary that takes every sentence
 * from the first chapter covers 1 of n.
 */
export function sectionCoverage(spans: readonly Span[], sections: readonly Span[]): SectionCoverage {
  const set = unionSpans(spans, 'A summary span');
  unionSpans(sections, 'A section');
  const perSection = sections.map((section) => section.end > section.start && set.some((s) => overlaps(s, section)));
  const covered = perSection.filter(Boolean).length;
  return { covered, total: sections.length, share: sections.length === 0 ? 0 : covered / sections.length, perSection };
}

/** More equal sections than this is a mistake (each is a span object), not a finer measurement. */
const MAX_SECTIONS = 1_000_000;

/** `parts` sections of equal length covering `[0, length)`: the default when a source has no chapters. */
export function equalSections(length: number, parts: number): Span[] {
  if (typeof parts !== 'number' || !Number.isInteger(parts) || parts < 1 || parts > MAX_SECTIONS) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `Section count must be an integer from 1 to ${MAX_SECTIONS.toLocaleString('en')}, got ${describeValue(parts)}.`);
  }
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `Length must be a non-negative integer, got ${describeValue(length)}.`);
  return Array.from({ length: parts }, (_, i) => ({ start: Math.floor((i * length) / parts), end: Math.floor(((i + 1) * length) / parts) }));
}

/**
 * Where each sentence of an extractive text sits in its source: the first occurrence of the
 * sentence with any run of whitespace matching any other. Sentences not found (rewritten text) are
 * left out; `located` counts the ones found.
 */
export function locateSentences(sentences: readonly string[], source: string): { spans: Span[]; located: number } {
  requireStrings(sentences, 'Sentences');
  requireString(source, 'locateSentences() source');
  const spans: Span[] = [];
  for (const sentence of sentences) {
    const span = findVerbatim(source, sentence);
    if (span) spans.push(span);
  }
  return { spans, located: spans.length };
}
