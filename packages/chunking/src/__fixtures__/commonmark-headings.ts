import { Parser } from 'commonmark';
import spec from 'commonmark-spec';

/** A heading at the top level of a document: its depth and the 1-based line it starts on. */
export interface HeadingAt {
  depth: number;
  line: number;
}

const parser = new Parser();

/** Top-level headings as the CommonMark reference implementation (commonmark.js) parses them. */
export function referenceHeadings(markdown: string): HeadingAt[] {
  const headings: HeadingAt[] = [];
  for (let node = parser.parse(markdown).firstChild; node; node = node.next) {
    if (node.type === 'heading') headings.push({ depth: node.level, line: node.sourcepos[0][0] });
  }
  return headings;
}

/** The spec's examples with tabs restored. */
export function specExamples(): { markdown: string; section: string; number: number }[] {
  return spec.tests.map((test) => ({ markdown: test.markdown.replace(/→/gu, '\t'), section: test.section, number: test.number }));
}
