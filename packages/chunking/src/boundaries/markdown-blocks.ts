import { lineLevel, punctuationSentenceLevel, regexLevel, wordLevel, type Level } from './levels.js';

export type MarkdownBlockKind = 'heading' | 'fence' | 'table' | 'list' | 'paragraph' | 'blank';

/** A top-level Markdown block; blank lines after a block belong to it, so blocks tile the text. */
export interface MarkdownBlock {
  kind: MarkdownBlockKind;
  start: number;
  end: number;
  /** Heading depth 1–6 (headings only). */
  depth?: number;
  /** Heading text without the `#` marks (headings only). */
  title?: string;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$/;
const LIST_ITEM = /^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const TABLE_ROW = /^[ \t]{0,3}\|/;
const TABLE_DELIMITER = /^[ \t]{0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/**
 * A line scanner for the CommonMark/GFM block structure chunking needs: ATX headings, fenced code
 * (a `#` inside a fence is not a heading), pipe tables, lists and paragraphs.
 */
export function scanMarkdownBlocks(text: string): MarkdownBlock[] {
  const lines: { start: number; end: number; body: string }[] = [];
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    lines.push({ start, end, body: text.slice(start, newline === -1 ? end : newline).replace(/\r$/, '') });
    start = end;
  }
  const blocks: MarkdownBlock[] = [];
  const push = (block: MarkdownBlock): void => {
    const previous = blocks[blocks.length - 1];
    if (block.kind === 'blank' && previous) previous.end = block.end;
    else blocks.push(block);
  };
  for (let i = 0; i < lines.length; ) {
    const line = lines[i];
    if (!line) break;
    const { body } = line;
    if (body.trim() === '') {
      push({ kind: 'blank', start: line.start, end: line.end });
      i++;
      continue;
    }
    const fence = FENCE_OPEN.exec(body);
    if (fence) {
      const marker = fence[1] ?? '```';
      let j = i + 1;
      while (j < lines.length && !new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${String(marker.length)},}[ \\t]*$`).test(lines[j]?.body ?? '')) j++;
      const last = lines[Math.min(j, lines.length - 1)];
      push({ kind: 'fence', start: line.start, end: last?.end ?? line.end });
      i = j + 1;
      continue;
    }
    const heading = HEADING.exec(body);
    if (heading) {
      push({ kind: 'heading', start: line.start, end: line.end, depth: heading[1]?.length ?? 1, title: (heading[2] ?? '').trim() });
      i++;
      continue;
    }
    if (TABLE_ROW.test(body) && TABLE_DELIMITER.test(lines[i + 1]?.body ?? '')) {
      let j = i + 2;
      while (j < lines.length && (lines[j]?.body ?? '').trim() !== '' && (lines[j]?.body ?? '').includes('|')) j++;
      push({ kind: 'table', start: line.start, end: lines[j - 1]?.end ?? line.end });
      i = j;
      continue;
    }
    const kind: MarkdownBlockKind = LIST_ITEM.test(body) ? 'list' : 'paragraph';
    let j = i + 1;
    for (; j < lines.length; j++) {
      const next = lines[j]?.body ?? '';
      if (next.trim() === '') {
        // A list continues across a blank line when the next non-blank line is an item or indented.
        if (kind !== 'list') break;
        const after = lines.slice(j + 1).find((candidate) => candidate.body.trim() !== '');
        if (!after || !(LIST_ITEM.test(after.body) || /^[ \t]{2,}/.test(after.body))) break;
        continue;
      }
      if (FENCE_OPEN.test(next) || HEADING.test(next)) break;
      if (kind === 'paragraph' && (LIST_ITEM.test(next) || (TABLE_ROW.test(next) && TABLE_DELIMITER.test(lines[j + 1]?.body ?? '')))) break;
      if (kind === 'list' && !LIST_ITEM.test(next) && !/^[ \t]{2,}/.test(next) && (lines[j - 1]?.body ?? '').trim() === '') break;
    }
    push({ kind, start: line.start, end: lines[j - 1]?.end ?? line.end });
    i = j;
  }
  return blocks;
}

/** Starts of the given blocks strictly inside `[start, end)`, found by binary search. */
function startsWithin(blocks: readonly MarkdownBlock[], start: number, end: number): number[] {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((blocks[mid]?.start ?? 0) <= start) lo = mid + 1;
    else hi = mid;
  }
  const splits: number[] = [];
  for (let i = lo; i < blocks.length; i++) {
    const block = blocks[i];
    if (!block || block.start >= end) break;
    splits.push(block.start);
  }
  return splits;
}

const listItemLevel = regexLevel('list items', /^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/m, 'before');

/** The `markdown` recipe's levels for one text. */
export function markdownLevels(text: string): Level[] {
  const blocks = scanMarkdownBlocks(text);
  const headingsUpTo = (depth: number) => blocks.filter((block) => block.kind === 'heading' && (block.depth ?? 7) <= depth);
  const sectionLevel = (depth: number): Level => {
    const headings = headingsUpTo(depth);
    return { name: `h${String(depth)} sections`, splits: (_text, start, end) => startsWithin(headings, start, end) };
  };
  return [
    sectionLevel(1),
    sectionLevel(2),
    sectionLevel(6),
    { name: 'blocks', splits: (_text, start, end) => startsWithin(blocks, start, end) },
    listItemLevel,
    lineLevel,
    punctuationSentenceLevel,
    wordLevel,
  ];
}
