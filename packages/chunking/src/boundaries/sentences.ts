/**
 * Sentence boundaries: UAX #29 via `Intl.Segmenter`, then a pass that removes the breaks UAX #29
 * gets wrong in English prose — after titles and common abbreviations ("Mr. Smith", "e.g. X"),
 * after initials ("J. R. R. Tolkien") and inside numbers with a space after a dot ("No. 5").
 */
const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

const ABBREVIATIONS = new Set(
  [
    'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'rev', 'gen', 'col', 'capt', 'lt', 'sgt', 'gov', 'sen',
    'rep', 'hon', 'pres', 'messrs', 'mme', 'mlle', 'e.g', 'i.e', 'etc', 'vs', 'cf', 'al', 'approx', 'inc', 'ltd',
    'corp', 'jan', 'feb', 'aug', 'sept', 'oct', 'nov', 'dec', 'u.s', 'u.k',
  ],
);

/** Abbreviations that are also ordinary words ("no.", "art."): only when a number follows. */
const NUMBER_ABBREVIATIONS = new Set(['no', 'nos', 'vol', 'vols', 'fig', 'figs', 'p', 'pp', 'ch', 'chap', 'sec', 'art']);

/** True when the sentence ending just before `position` ends in an abbreviation or an initial. */
export function endsInAbbreviation(text: string, position: number): boolean {
  let end = position;
  while (end > 0 && /\s/.test(text[end - 1] ?? '')) end--;
  if (text[end - 1] !== '.') return false;
  let start = end - 1;
  while (start > 0 && /[\p{L}.]/u.test(text[start - 1] ?? '')) start--;
  const word = text.slice(start, end - 1);
  if (word.length === 0) return false;
  if (/^\p{Lu}$/u.test(word) && word !== 'I') return true;
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return true;
  return NUMBER_ABBREVIATIONS.has(lower) && /^\s*\d/.test(text.slice(position, position + 8));
}

/** Characters segmented per `Intl.Segmenter` call. */
const BLOCK = 4096;

/**
 * Sentence boundaries strictly inside `[start, end)`, in order. V8's segment iterator slows down
 * with the length of the string it walks (a whole book took 35 s), so the range is segmented in
 * blocks that end after a newline: UAX #29 always breaks after a paragraph separator (SB4), so the
 * result is the same. A single line longer than a block is cut at a space, the one place where a
 * block seam can hide a sentence break.
 */
export function sentenceSplits(text: string, start: number, end: number): number[] {
  const splits: number[] = [];
  // Whether a sentence ends just after `start` depends on the text before it (". " ends one): segment
  // from the start of its line (SB4), or from a space a block before, and keep the breaks after `start`.
  let context = text.lastIndexOf('\n', start - 1) + 1;
  if (start - context > BLOCK) context = Math.max(context, text.indexOf(' ', start - BLOCK) + 1);
  if (context > start) context = start;
  for (let from = context; from < end; ) {
    let to = Math.min(end, from + BLOCK);
    let atNewline = false;
    if (to < end) {
      const newline = text.lastIndexOf('\n', to - 1);
      if (newline >= from) {
        to = newline + 1;
        atNewline = true;
      } else {
        const space = text.lastIndexOf(' ', to - 1);
        if (space > from) to = space + 1;
      }
    }
    for (const segment of sentenceSegmenter.segment(text.slice(from, to))) {
      if (segment.index === 0) continue;
      const position = from + segment.index;
      if (position > start && !endsInAbbreviation(text, position)) splits.push(position);
    }
    if (atNewline && to > start && to < end && !endsInAbbreviation(text, to)) splits.push(to);
    from = to;
  }
  return splits;
}

/** The sentences of `[start, end)` as spans that tile it. */
export function sentenceSpans(text: string, start = 0, end = text.length): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let from = start;
  for (const split of sentenceSplits(text, start, end)) {
    spans.push({ start: from, end: split });
    from = split;
  }
  if (from < end) spans.push({ start: from, end });
  return spans;
}
