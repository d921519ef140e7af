import { englishAnalyzer } from '@chunkwise/retrieval';

/** The query's terms as the english analyzer makes them (stop words dropped, Porter2 stems), each once. */
export function queryTerms(query: string): string[] {
  return [...new Set(englishAnalyzer(query))];
}

const WORD = /[\p{L}\p{N}]+/gu;

/** `[start, end)` of every word of `text` whose english analysis is one of `terms`: what the page marks. */
export function termMarks(text: string, terms: ReadonlySet<string>): [number, number][] {
  const marks: [number, number][] = [];
  if (terms.size === 0) return marks;
  for (const match of text.matchAll(WORD)) {
    const term = englishAnalyzer(match[0])[0];
    if (term !== undefined && terms.has(term)) marks.push([match.index, match.index + match[0].length]);
  }
  return marks;
}
