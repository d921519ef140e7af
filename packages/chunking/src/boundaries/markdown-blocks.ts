import { validateText } from '../chunk-options.js';
import { lineLevel, punctuationSentenceLevel, regexLevel, wordLevel, type Level } from './levels.js';

export type MarkdownBlockKind = 'heading' | 'fence' | 'code' | 'html' | 'rule' | 'quote' | 'table' | 'list' | 'paragraph' | 'blank';

/** A top-level Markdown block; blank lines after a block belong to it, so blocks tile the text. */
export interface MarkdownBlock {
  kind: MarkdownBlockKind;
  start: number;
  end: number;
  /** Heading depth 1–6 (headings only). */
  depth?: number;
  /** Heading text without the `#` marks or the setext underline (headings only). */
  title?: string;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/u;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/u;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/u;
const THEMATIC_BREAK = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/u;
const LIST_ITEM = /^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/u;
/** A list item's marker with the spaces after it: its length is where the item's content starts. */
const LIST_MARKER = /^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]{1,4}(?=\S)|[ \t]|$)/u;
/** A list item that may interrupt a paragraph: a bullet or "1." with content after it. */
const INTERRUPTING_ITEM = /^ {0,3}(?:[-*+]|1[.)])[ \t]+\S/u;
const QUOTE = /^ {0,3}>/u;
const TABLE_ROW = /^[ \t]{0,3}\|/u;
const TABLE_DELIMITER = /^[ \t]{0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/u;
const LINK_DEFINITION = /^ {0,3}\[(?:[^\]\\]|\\.)+\]:/u;

const BLOCK_TAGS =
  'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul';
/** CommonMark's HTML block starts (§4.6), in its order; `end` undefined: the block ends at a blank line. */
const HTML_BLOCKS: readonly { start: RegExp; end?: RegExp; interruptsParagraph: boolean }[] = [
  { start: /^ {0,3}<(?:script|pre|style|textarea)(?:[ \t>]|$)/iu, end: /<\/(?:script|pre|style|textarea)>/iu, interruptsParagraph: true },
  { start: /^ {0,3}<!--/u, end: /-->/u, interruptsParagraph: true },
  { start: /^ {0,3}<\?/u, end: /\?>/u, interruptsParagraph: true },
  { start: /^ {0,3}<![A-Za-z]/u, end: />/u, interruptsParagraph: true },
  { start: /^ {0,3}<!\[CDATA\[/u, end: /\]\]>/u, interruptsParagraph: true },
  { start: new RegExp(`^ {0,3}</?(?:${BLOCK_TAGS})(?:[ \\t]|/?>|$)`, 'iu'), interruptsParagraph: true },
  {
    start: /^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:[ \t]+[A-Za-z_:][\w.:-]*(?:[ \t]*=[ \t]*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*[ \t]*\/?>|<\/[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$/u,
    interruptsParagraph: false,
  },
];

interface Line {
  start: number;
  end: number;
  body: string;
}

/** Columns of indentation (a tab advances to the next multiple of 4). */
function indentOf(body: string): number {
  let columns = 0;
  for (const char of body) {
    if (char === ' ') columns++;
    else if (char === '\t') columns += 4 - (columns % 4);
    else break;
  }
  return columns;
}

function isBlank(body: string): boolean {
  return body.trim() === '';
}

function fenceOpen(body: string): string | undefined {
  const match = FENCE_OPEN.exec(body);
  if (!match) return undefined;
  const marker = match[1] ?? '```';
  // A backtick fence's info string may not contain a backtick (it would be inline code).
  if (marker.startsWith('`') && (match[2] ?? '').includes('`')) return undefined;
  return marker;
}

function htmlBlockAt(body: string, inParagraph: boolean): (typeof HTML_BLOCKS)[number] | undefined {
  return HTML_BLOCKS.find((kind) => (!inParagraph || kind.interruptsParagraph) && kind.start.test(body));
}

/** True when a block-quote line leaves a paragraph open inside the quote (so a lazy line may continue it). */
function opensQuoteParagraph(body: string): boolean {
  return opensParagraph(body.replace(/^ {0,3}> ?/u, ''));
}

/** True when a container's content line is paragraph text (not a heading, fence, rule, quote, HTML or code). */
function opensParagraph(content: string): boolean {
  return (
    !isBlank(content) &&
    indentOf(content) < 4 &&
    !ATX_HEADING.test(content) &&
    !THEMATIC_BREAK.test(content) &&
    fenceOpen(content) === undefined &&
    !QUOTE.test(content) &&
    !LIST_ITEM.test(content) &&
    htmlBlockAt(content, false) === undefined
  );
}

/** True when a line inside a container closes the paragraph open there (a heading, fence, rule, quote, list item, HTML, underline). */
function interruptsInner(content: string): boolean {
  return !opensParagraph(content) || SETEXT_UNDERLINE.test(content);
}

/** True when a line ends a paragraph without belonging to it (CommonMark's interruptions, plus GFM tables). */
function interruptsParagraph(lines: readonly Line[], j: number): boolean {
  const body = lines[j]?.body ?? '';
  if (indentOf(body) >= 4) return false;
  return (
    fenceOpen(body) !== undefined ||
    ATX_HEADING.test(body) ||
    THEMATIC_BREAK.test(body) ||
    QUOTE.test(body) ||
    INTERRUPTING_ITEM.test(body) ||
    htmlBlockAt(body, true) !== undefined ||
    (TABLE_ROW.test(body) && TABLE_DELIMITER.test(lines[j + 1]?.body ?? ''))
  );
}

/**
 * A line scanner for the CommonMark/GFM block structure chunking needs, exact where headings are
 * concerned (checked against commonmark.js on the spec's examples and on random documents): ATX and
 * setext headings; fenced and indented code, HTML blocks and comments (a `#` line inside any of
 * them is not a heading); thematic breaks, block quotes, pipe tables, lists and paragraphs.
 */
export function scanMarkdownBlocks(text: string): MarkdownBlock[] {
  validateText(text, 'scanMarkdownBlocks()');
  const lines: Line[] = [];
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    lines.push({ start, end, body: text.slice(start, newline === -1 ? end : newline).replace(/\r$/u, '') });
    start = end;
  }
  const blocks: MarkdownBlock[] = [];
  const push = (block: MarkdownBlock): void => {
    const previous = blocks[blocks.length - 1];
    if (block.kind === 'blank' && previous) previous.end = block.end;
    else blocks.push(block);
  };
  const endOf = (j: number, fallback: number): number => lines[j]?.end ?? fallback;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i];
    if (!line) break;
    const { body } = line;
    if (isBlank(body)) {
      push({ kind: 'blank', start: line.start, end: line.end });
      i++;
      continue;
    }
    if (indentOf(body) >= 4) {
      // Indented code runs over blank lines to the last indented line.
      let j = i + 1;
      let last = i;
      for (; j < lines.length; j++) {
        const next = lines[j]?.body ?? '';
        if (isBlank(next)) continue;
        if (indentOf(next) < 4) break;
        last = j;
      }
      push({ kind: 'code', start: line.start, end: endOf(last, line.end) });
      i = last + 1;
      continue;
    }
    const marker = fenceOpen(body);
    if (marker !== undefined) {
      const closing = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${String(marker.length)},}[ \\t]*$`, 'u');
      let j = i + 1;
      while (j < lines.length && !closing.test(lines[j]?.body ?? '')) j++;
      push({ kind: 'fence', start: line.start, end: endOf(Math.min(j, lines.length - 1), line.end) });
      i = j + 1;
      continue;
    }
    const html = htmlBlockAt(body, false);
    if (html) {
      let j = i;
      if (html.end) {
        // Ends at the first line (the opening one included) that holds the end condition.
        while (j < lines.length && !html.end.test(lines[j]?.body ?? '')) j++;
      } else {
        while (j + 1 < lines.length && !isBlank(lines[j + 1]?.body ?? '')) j++;
      }
      push({ kind: 'html', start: line.start, end: endOf(Math.min(j, lines.length - 1), line.end) });
      i = j + 1;
      continue;
    }
    const heading = ATX_HEADING.exec(body);
    if (heading) {
      push({ kind: 'heading', start: line.start, end: line.end, depth: heading[1]?.length ?? 1, title: (heading[2] ?? '').trim() });
      i++;
      continue;
    }
    if (THEMATIC_BREAK.test(body)) {
      push({ kind: 'rule', start: line.start, end: line.end });
      i++;
      continue;
    }
    if (QUOTE.test(body)) {
      // A block quote runs over '>' lines and lazy paragraph continuations, to a blank line.
      let j = i + 1;
      let paragraphOpen = opensQuoteParagraph(body);
      while (j < lines.length) {
        const next = lines[j]?.body ?? '';
        if (isBlank(next)) break;
        if (QUOTE.test(next)) paragraphOpen = opensQuoteParagraph(next);
        // A line without '>' stays in the quote only as a lazy continuation of an open paragraph.
        else if (!paragraphOpen || interruptsParagraph(lines, j)) break;
        j++;
      }
      push({ kind: 'quote', start: line.start, end: endOf(j - 1, line.end) });
      i = j;
      continue;
    }
    if (TABLE_ROW.test(body) && TABLE_DELIMITER.test(lines[i + 1]?.body ?? '')) {
      let j = i + 2;
      while (j < lines.length && !isBlank(lines[j]?.body ?? '') && (lines[j]?.body ?? '').includes('|')) j++;
      push({ kind: 'table', start: line.start, end: endOf(j - 1, line.end) });
      i = j;
      continue;
    }
    if (LIST_ITEM.test(body)) {
      // Items, lines indented to an item's content, and lazy continuations of an open paragraph.
      let contentIndent = 0;
      let paragraphOpen = false;
      const startItem = (itemLine: string): void => {
        const marker = LIST_MARKER.exec(itemLine)?.[0] ?? '';
        contentIndent = indentOf(marker.replace(/[^ \t]/gu, ' '));
        paragraphOpen = opensParagraph(itemLine.slice(marker.length));
      };
      startItem(body);
      let j = i + 1;
      for (; j < lines.length; j++) {
        const next = lines[j]?.body ?? '';
        if (isBlank(next)) {
          // A list continues across a blank line when the next non-blank line is an item or indented.
          let k = j + 1;
          while (k < lines.length && isBlank(lines[k]?.body ?? '')) k++;
          const after = lines[k]?.body;
          if (after === undefined || !(LIST_ITEM.test(after) || /^[ \t]{2,}/u.test(after))) break;
          paragraphOpen = false;
          j = k - 1;
          continue;
        }
        const indent = indentOf(next);
        if (THEMATIC_BREAK.test(next) && indent < 4 && indent < contentIndent) break;
        if (LIST_ITEM.test(next) && indent < contentIndent) {
          startItem(next);
          continue;
        }
        if (indent >= contentIndent && contentIndent > 0) {
          const inner = next.replace(/^[ \t]+/u, ' '.repeat(Math.max(0, indent - contentIndent)));
          paragraphOpen = indent - contentIndent >= 4 ? paragraphOpen : paragraphOpen ? !interruptsInner(inner) : opensParagraph(inner);
          continue;
        }
        if (!paragraphOpen || interruptsParagraph(lines, j) || LIST_ITEM.test(next)) break;
      }
      push({ kind: 'list', start: line.start, end: endOf(j - 1, line.end) });
      i = j;
      continue;
    }
    // A paragraph, unless a setext underline turns it into a heading.
    let j = i + 1;
    let underline: RegExpExecArray | null = null;
    let hasText = !LINK_DEFINITION.test(body);
    for (; j < lines.length; j++) {
      const next = lines[j]?.body ?? '';
      if (isBlank(next)) break;
      const candidate = SETEXT_UNDERLINE.exec(next);
      if (candidate && hasText) {
        underline = candidate;
        break;
      }
      // Under nothing but link reference definitions, dashes are a rule and '=' is text.
      if (interruptsParagraph(lines, j)) break;
      if (!LINK_DEFINITION.test(next)) hasText = true;
    }
    if (underline) {
      // Link reference definitions at the top are not the heading's text (the block still starts there, as in commonmark.js).
      let first = i;
      while (first < j - 1 && LINK_DEFINITION.test(lines[first]?.body ?? '')) first++;
      const title = lines
        .slice(first, j)
        .map((candidate) => candidate.body.trim())
        .join(' ');
      push({ kind: 'heading', start: line.start, end: endOf(j, line.end), depth: underline[1]?.startsWith('=') ? 1 : 2, title });
      i = j + 1;
      continue;
    }
    push({ kind: 'paragraph', start: line.start, end: endOf(j - 1, line.end) });
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
