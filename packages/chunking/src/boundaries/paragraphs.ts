/**
 * Ends of blank-line runs strictly inside `(start, end)`: the places a paragraph ends. The blank
 * lines (and the indentation after them) stay with the paragraph before. Cuts are the text's, not
 * the range's: a range starting inside a blank-line run still cuts where the run ends (a stream
 * resuming at a line end relies on this). Hand-scanned with indexOf: the equivalent regex,
 * /(?:\r?\n[ \t]*){2,}/, was a third of character-mode chunking time on Moby Dick.
 */
export function paragraphBreaks(text: string, start: number, end: number): number[] {
  const splits: number[] = [];
  let from = start;
  while (from > 0 && isBlankRunChar(text.charCodeAt(from - 1))) from--;
  let newline = text.indexOf('\n', from);
  while (newline !== -1 && newline < end) {
    let newlines = 1;
    let cursor = newline + 1;
    let runEnd: number;
    for (;;) {
      let k = cursor;
      while (k < text.length && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9 || text.charCodeAt(k) === 13)) k++;
      runEnd = k;
      if (text.charCodeAt(k) !== 10) break;
      newlines++;
      cursor = k + 1;
    }
    if (newlines >= 2) {
      if (runEnd > start && runEnd < end) splits.push(runEnd);
      newline = text.indexOf('\n', runEnd);
    } else {
      newline = text.indexOf('\n', newline + 1);
    }
  }
  return splits;
}

/** True when the whitespace just before `position` holds a blank line (or `position` starts the text). */
export function followsBlankLine(text: string, position: number): boolean {
  let newlines = 0;
  for (let i = position - 1; i >= 0; i--) {
    const code = text.charCodeAt(i);
    if (code === 10) {
      // Two line breaks settle it: scanning on to the text's start (whitespace-only text) would make
      // every call linear and a splitter calling it per candidate quadratic.
      if (++newlines >= 2) return true;
    } else if (!isBlankRunChar(code)) return false;
  }
  return true;
}

function isBlankRunChar(code: number): boolean {
  return code === 10 || code === 13 || code === 32 || code === 9;
}
