import { requireString } from '../argument-checks.js';

/**
 * The `simple` analyzer is exactly `text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []`: lowercase,
 * then maximal runs of Unicode letters and digits. It is deliberately trivial so that any other BM25
 * implementation fed the same tokens must produce the same ranking: our cross-implementation reference.
 */
export function simpleAnalyzer(text: string): string[] {
  requireString(text, 'The text to analyze');
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
