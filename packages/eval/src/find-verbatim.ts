import type { Span } from '@chunkwise/core';

/**
 * Where `needle` occurs in `text`: exactly first, else with any run of whitespace in one matching
 * any run in the other (a model or a summary joiner may reflow lines). Undefined when absent.
 */
export function findVerbatim(text: string, needle: string): Span | undefined {
  const trimmed = needle.trim();
  if (trimmed === '') return undefined;
  const exact = text.indexOf(trimmed);
  if (exact >= 0) return { start: exact, end: exact + trimmed.length };
  const words = trimmed.split(/\s+/);
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'), 'u');
  const match = pattern.exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}
