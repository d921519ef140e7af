// Where an excerpt of a long text starts and ends: between words, so no word is shown cut.

/** The first position at or after `at` that starts a word (after a space), but not past `limit`. */
export function wordStartAfter(text: string, at: number, limit: number): number {
  if (at <= 0) return 0;
  const space = text.slice(at, limit).search(/\s/);
  return space < 0 ? limit : at + space + 1;
}

/** The last position at or before `at` that ends a word (before a space), but not before `limit`. */
export function wordEndBefore(text: string, at: number, limit: number): number {
  if (at >= text.length) return text.length;
  const cut = text.slice(limit, at).search(/\s\S*$/);
  return cut < 0 ? limit : limit + cut;
}
