import type { Span } from '@chunkwise/core';

/**
 * Summary-quality metrics of issue 15 (coverage of sections and salient terms, dialogue share),
 * written here as a test-only stand-in until `@chunkwise/eval` exports its own: the definitions are
 * deliberately plain and independent of how the extractive summarizer scores sentences, so
 * improving one does not mean grading it with its own rule.
 */

/** Share of `sections` that contain the start of at least one summary span. */
export function sectionCoverage(spans: readonly Span[], sections: readonly Span[]): number {
  if (sections.length === 0) return 0;
  const touched = new Set<number>();
  for (const span of spans) {
    const index = sections.findIndex((section) => section.start <= span.start && span.start < section.end);
    if (index >= 0) touched.add(index);
  }
  return touched.size / sections.length;
}

/** Share of `parts` equal-length slices of the source that contain the start of a summary span. */
export function partsCovered(spans: readonly Span[], sourceLength: number, parts = 10): number {
  const size = sourceLength / parts;
  const sections = Array.from({ length: parts }, (_, i) => ({ start: Math.floor(i * size), end: i === parts - 1 ? sourceLength : Math.floor((i + 1) * size) }));
  return sectionCoverage(spans, sections);
}

// A general English stopword list (function words, reporting verbs, archaic pronouns).
const STOPWORDS = new Set(
  (
    'a about above after again against all almost also although always am among an and another any are as at away back be ' +
    'became because become been before being below between both but by came can cannot come could did do does doing done ' +
    'down during each either else enough even ever every few for from further get go going got had has have having he her ' +
    'here hers herself him himself his how however if in indeed into is it its itself just last least less like made make ' +
    'many may me might more most much must my myself never new no nor not now of off often on once one only or other ' +
    'others our ours ourselves out over own part per perhaps put rather said same say says see seem seemed shall she ' +
    'should since so some something still such take than that the their theirs them themselves then there therefore these ' +
    'they thing things this those though through thus till to too toward towards two under until up upon us very was way ' +
    'we well were what whatever when where whether which while who whole whom whose why will with within without would ' +
    'yet you your yours yourself yourselves ye thou thee thy thine hath doth unto aye oh let first great old long little ' +
    'good know think time man men day days year years mr'
  ).split(' '),
);

const WORD = /\p{L}[\p{L}'’]*/gu;

/** Lower-cased words of three letters or more that are not stopwords. */
export function contentWords(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0].toLowerCase().replace(/['’]s?$/, '');
    if (word.length >= 3 && !STOPWORDS.has(word)) out.push(word);
  }
  return out;
}

/** The `k` most frequent content words of the source (ties broken alphabetically). */
export function salientTerms(source: string, k = 30): string[] {
  const counts = new Map<string, number>();
  for (const word of contentWords(source)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([word]) => word);
}

/** Share of the source's `k` salient terms that occur in the summary. */
export function salientTermCoverage(summary: string, source: string, k = 30): number {
  const present = new Set(contentWords(summary));
  const terms = salientTerms(source, k);
  return terms.filter((term) => present.has(term)).length / Math.max(terms.length, 1);
}

/**
 * Share of the summary's characters that are quoted speech: characters of the source spans that lie
 * between an opening and a closing double quote (straight quotes alternate within a paragraph, as in
 * Moby Dick; curly ones open and close explicitly; an unclosed quote runs to the paragraph's end).
 */
export function dialogueShare(source: string, spans: readonly Span[]): number {
  const quoted = quotedMask(source);
  let inside = 0;
  let total = 0;
  for (const span of spans) {
    for (let i = span.start; i < span.end; i++) {
      if (/\s/.test(source[i]!)) continue;
      total++;
      inside += quoted[i]!;
    }
  }
  return total === 0 ? 0 : inside / total;
}

function quotedMask(source: string): Uint8Array {
  const mask = new Uint8Array(source.length);
  let open = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\n' && source[i + 1] === '\n') open = false;
    if (c === '"') {
      mask[i] = 1;
      open = !open;
      continue;
    }
    if (c === '“') open = true;
    if (open || c === '”') mask[i] = 1;
    if (c === '”') open = false;
  }
  return mask;
}
