import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceHeadings, specExamples, type HeadingAt } from '../__fixtures__/commonmark-headings.js';
import { scanMarkdownBlocks } from './markdown-blocks.js';

function ourHeadings(markdown: string): HeadingAt[] {
  return scanMarkdownBlocks(markdown)
    .filter((block) => block.kind === 'heading')
    .map((block) => ({ depth: block.depth ?? 0, line: markdown.slice(0, block.start).split('\n').length }));
}

const headings = (markdown: string) =>
  scanMarkdownBlocks(markdown)
    .filter((block) => block.kind === 'heading')
    .map((block) => [block.depth, block.title]);

/** Lines that build (and break) headings: ATX, setext underlines, fences, HTML, code, lists, quotes. */
const LINES = [
  '# Title', '## Sub heading ##', '###### six', '#no space', '    # indented code', '\t# tab code', 'Some text', 'more text',
  '=====', '---', '- - -', '***', '___', '  ===  ', '- item', '* item', '1. first', '2) second', '> quote', '> # quoted heading',
  '```', '```js', '~~~', '````', '<!--', '-->', '<!-- # inline comment -->', '<pre>', '</pre>', '<div>', '</div>', '<?php', '?>',
  '<![CDATA[', ']]>', '<span>', '[ref]: /url', '', '', '   ', 'Text with `code`',
];

describe('scanMarkdownBlocks headings', () => {
  it('finds exactly the top-level headings commonmark.js finds in every example of the CommonMark spec (652)', () => {
    const differ = specExamples()
      .filter(({ markdown }) => JSON.stringify(ourHeadings(markdown)) !== JSON.stringify(referenceHeadings(markdown)))
      .map(({ section, number }) => `${section} #${String(number)}`);
    expect(differ).toEqual([]);
  });

  it('finds exactly the top-level headings commonmark.js finds in random documents', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { maxLength: 30 }), (lines) => {
        const markdown = `${lines.join('\n')}\n`;
        expect(ourHeadings(markdown)).toEqual(referenceHeadings(markdown));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads setext headings (Title / =====, Title / -----), across lines', () => {
    expect(headings('Moby Dick\n=========\n\nLoomings\n--------\nCall me Ishmael.\n')).toEqual([
      [1, 'Moby Dick'],
      [2, 'Loomings'],
    ]);
    expect(headings('A title on\ntwo lines\n===\n')).toEqual([[1, 'A title on two lines']]);
    // After a blank line, dashes are a rule, not an underline.
    expect(headings('Text\n\n---\n')).toEqual([]);
  });

  it('does not read "# x" inside an HTML comment, an HTML block, a fence or indented code as a heading', () => {
    expect(headings('<!--\n# not a heading\n-->\n# heading\n')).toEqual([[1, 'heading']]);
    expect(headings('<pre>\n# not a heading\n</pre>\n\n```md\n# nor this\n```\n\n    # nor this\n\n~~~\n# nor\n~~~\n')).toEqual([]);
    expect(headings('<div>\n# not a heading\n</div>\n\n# heading\n')).toEqual([[1, 'heading']]);
    expect(headings('<!-- one line -->\n# heading\n')).toEqual([[1, 'heading']]);
  });
});
