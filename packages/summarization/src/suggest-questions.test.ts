import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { answer } from './answer.js';
import { suggestQuestions } from './suggest-questions.js';
import { mobyDick, sotuAddresses } from './__fixtures__/datasets.js';

const book = mobyDick();

describe('suggestQuestions', () => {
  it('asks about the people and names a book is about, never its headings', () => {
    const questions = suggestQuestions(book.text, { count: 5 });
    expect(questions.map((q) => q.question)).toEqual(['Who is Ahab?', 'Who is Stubb?', 'Who is Queequeg?', 'Who is Starbuck?', 'What is said about the Pequod?']);
    const titles = new Set(book.chapters.map((chapter) => chapter.title.toLowerCase()));
    for (const q of questions) {
      expect(titles.has(q.about.toLowerCase())).toBe(false);
      expect(q.mentions).toBeGreaterThanOrEqual(3);
    }
  });

  it('suggests questions the extractive answer can answer from the text', async () => {
    for (const text of [book.text.slice(0, 300_000), sotuAddresses().find((a) => a.year === 1962)!.text]) {
      for (const q of suggestQuestions(text, { count: 3 })) {
        const result = await answer(q.question, text, { targetWords: 60 });
        expect(result.answered).toBe(true);
        expect(result.citations.some((citation) => citation.text.toLowerCase().includes(q.about.replace(/^the /, '').toLowerCase().split(' ')[0]!))).toBe(true);
      }
    }
  });

  it('asks about names of a speech, joined across "of", and not about adjectives made from names', () => {
    const questions = suggestQuestions(sotuAddresses().find((a) => a.year === 1790)!.text, { count: 4 }).map((q) => q.about);
    expect(questions).toContain('House of Representatives');
    const modern = suggestQuestions(sotuAddresses().find((a) => a.year === 1962)!.text, { count: 6 }).map((q) => q.about);
    expect(modern).not.toContain('American');
    expect(modern).not.toContain('Federal');
  });

  it('does not run two names together across punctuation', () => {
    const text = 'The whale rammed the Pequod, Ahab was dragged under. Then Ahab cried out to the crew. Later Ahab sank below the waves. The Pequod went down with all hands.';
    expect(suggestQuestions(text, { count: 3 }).map((q) => q.about)).toEqual(['Ahab']);
  });

  it('falls back to salient common terms when a text names nobody; headings and list lines do not count', () => {
    const text =
      '# Installing The Tool\n\n- Download The Archive\n- Run The Installer\n\n' +
      'The installer copies the files into the folder you choose. The files keep their names. ' +
      'Every file is checked after it is copied, and a file that fails the check is copied again. ' +
      'When all files are copied, the installer writes a report that lists every file.';
    const questions = suggestQuestions(text, { count: 2 });
    expect(questions[0]).toMatchObject({ question: 'What is said about files?', kind: 'term' });
    for (const q of questions) expect(q.question).not.toMatch(/Install|Archive|Tool/);
  });

  it('returns nothing for a text without sentences, and rejects bad input with INVALID_ARGUMENT', () => {
    expect(suggestQuestions('')).toEqual([]);
    expect(suggestQuestions('# Only A Heading\n\n- a list item')).toEqual([]);
    for (const bad of [() => suggestQuestions(undefined as never), () => suggestQuestions('text', { count: 0 }), () => suggestQuestions('text', null as never)]) {
      try {
        bad();
        expect.unreachable();
      } catch (error) {
        expect(isChunkwiseError(error, 'INVALID_ARGUMENT')).toBe(true);
      }
    }
  });
});
