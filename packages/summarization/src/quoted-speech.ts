import type { Span } from '@chunkwise/core';

/**
 * For each span (in document order, not overlapping), the share of its non-space characters that
 * are quoted speech. Straight double quotes alternate open/close within a paragraph (Moby Dick,
 * Gutenberg texts); curly ones open and close explicitly; a blank line closes an open quote, as a
 * quotation continued into the next paragraph reopens it there. One pass over the text.
 */
export function quotedShares(text: string, spans: readonly Span[]): Float64Array {
  const shares = new Float64Array(spans.length);
  let open = false;
  let at = 0;
  const step = (i: number): boolean => {
    const c = text.charCodeAt(i);
    // '\n\n' ends a paragraph: an unclosed quote does not run into the next one.
    if (c === 10 && text.charCodeAt(i + 1) === 10) open = false;
    if (c === 34) {
      open = !open;
      return true;
    }
    if (c === 0x201c) {
      open = true;
      return true;
    }
    if (c === 0x201d) {
      open = false;
      return true;
    }
    return open;
  };
  spans.forEach((span, k) => {
    for (; at < span.start; at++) step(at);
    let quoted = 0;
    let total = 0;
    for (; at < span.end; at++) {
      const inside = step(at);
      const c = text.charCodeAt(at);
      if (c === 32 || c === 10 || c === 9 || c === 13) continue;
      total++;
      if (inside) quoted++;
    }
    shares[k] = total === 0 ? 0 : quoted / total;
  });
  return shares;
}
