import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { answer, answerStream } from './answer.js';
import type { AnswerPassage, AnswerResult, AnswerStreamPart } from './answer-types.js';
import { countWords } from './count-words.js';
import { mobyDick, sotuAddresses } from './__fixtures__/datasets.js';

const book = mobyDick();
/** Moby Dick's chapters as passages of one document, with their offsets in the book. */
const chapters: AnswerPassage[] = book.chapters.map((chapter, i) => ({ id: `ch${i}`, text: book.text.slice(chapter.start, chapter.end), docId: 'moby-dick.txt', start: chapter.start }));

/** Every invariant a user relies on: exact spans, markers that resolve, nothing cited twice. */
function expectCheckable(result: AnswerResult, passages: readonly AnswerPassage[], document?: string) {
  const byId = new Map(passages.map((passage) => [passage.id, passage]));
  result.citations.forEach((citation, k) => {
    expect(citation.marker).toBe(k + 1);
    const passage = byId.get(citation.sourceId)!;
    expect(passage).toBeDefined();
    expect(citation.text).toBe(passage.text.slice(citation.start, citation.end));
    expect(citation.end).toBeGreaterThan(citation.start);
    if (document !== undefined && passage.start !== undefined) {
      expect(document.slice(citation.documentStart, citation.documentEnd)).toBe(citation.text);
    }
  });
  const markers = [...result.text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
  for (const marker of markers) expect(marker).toBeGreaterThanOrEqual(1);
  for (const marker of markers) expect(marker).toBeLessThanOrEqual(result.citations.length);
  expect(new Set(markers).size).toBe(result.citations.length);
  expect(result.words).toBe(countWords(result.text.replace(/\s*\[\d+\]/g, '')));
}

describe('answer (extractive)', () => {
  it('quotes the sentence that answers, cites it exactly, and maps it back to the book', async () => {
    const needle = 'The harpooneer Queequeg kept his coffin painted with the blue tattoos of his island.';
    // Planted between two sentences of chapter 60.
    const at = book.text.indexOf('. ', book.chapters[60]!.start + 2000) + 1;
    const edited = book.text.slice(0, at) + ` ${needle} ` + book.text.slice(at);
    const passages = book.chapters.map((chapter, i) => {
      const start = chapter.start > at ? chapter.start + needle.length + 2 : chapter.start;
      const end = chapter.end >= at ? chapter.end + needle.length + 2 : chapter.end;
      return { id: `ch${i}`, text: edited.slice(start, end), docId: 'moby-dick.txt', start };
    });
    const result = await answer('What did Queequeg paint his coffin with?', passages, { targetWords: 60 });
    expect(result).toMatchObject({ method: 'extractive', answered: true, calls: 0, repairs: [] });
    expectCheckable(result, passages, edited);
    expect(result.citations.map((citation) => citation.text)).toContain(needle);
    expect(result.citations.find((citation) => citation.text === needle)).toMatchObject({ sourceId: 'ch60', docId: 'moby-dick.txt', documentStart: at + 1 });
    expect(result.words).toBeLessThanOrEqual(60);
  });

  it('says so, and cites nothing, when nothing in the passages is relevant', async () => {
    for (const question of ['What is the boiling point of liquid nitrogen?', 'How do transistors amplify signals?', 'What is it?']) {
      const result = await answer(question, chapters.slice(0, 30));
      expect(result).toMatchObject({ answered: false, citations: [], text: 'None of the passages answers this question.' });
    }
  });

  it('every citation is an exact span and every marker resolves, for any question and budget (property)', async () => {
    const addresses = sotuAddresses();
    const vocabulary = [...new Set(addresses[150]!.text.toLowerCase().match(/\p{L}{5,}/gu)!)];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 145, max: 160 }),
        async (words, targetWords, index) => {
          const text = addresses[index]!.text;
          const passages = text.split(/\n\n+/).map((paragraph, i) => ({ id: `p${i}`, text: paragraph }));
          const result = await answer(`What about ${words.join(' ')}?`, passages, { targetWords });
          expectCheckable(result, passages);
          if (result.answered) expect(result.words).toBeLessThanOrEqual(targetWords);
          expect(result.answered).toBe(result.citations.length > 0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('answers from a text: passages of whole paragraphs whose citations map back to the text', async () => {
    const text = sotuAddresses().find((address) => address.year === 1962)!.text;
    const result = await answer('What did the President say about the Peace Corps?', text, { targetWords: 80 });
    expect(result.answered).toBe(true);
    for (const citation of result.citations) {
      expect(citation.sourceId).toMatch(/^p\d+$/);
      expect(text.slice(citation.documentStart, citation.documentEnd)).toBe(citation.text);
    }
    expect(result.citations.some((citation) => /^A newly conceived Peace Corps is winning friends.*country\.$/.test(citation.text))).toBe(true);
  });

  it('answers with pieces when every relevant sentence is longer than the target, and from unpunctuated text', async () => {
    const transcript = book.text.slice(0, 40_000).toLowerCase().replace(/[^\p{L}\s]+/gu, ' ');
    const result = await answer('what does ishmael do when he feels grim about the mouth', transcript, { targetWords: 25 });
    expect(result.answered).toBe(true);
    expect(result.words).toBeGreaterThan(0);
    expect(result.words).toBeLessThanOrEqual(25);
    for (const citation of result.citations) expect(transcript.slice(citation.documentStart, citation.documentEnd)).toBe(citation.text);
  });

  it('ranks with an embedder too, and answers from similarity alone when no word is shared', async () => {
    // A toy embedder: one dimension per topic word family, so "ocean" and "sea" are the same direction.
    const families = [['sea', 'ocean', 'waves', 'water'], ['ship', 'vessel', 'boat']];
    const embedder = {
      dimensions: families.length,
      embed: async (texts: string[]) =>
        texts.map((text) => Float32Array.from(families, (family) => family.filter((word) => new RegExp(`\\b${word}\\b`, 'i').test(text)).length)),
    };
    const passages = [
      { id: 'a', text: 'The waves rose over the dark water all night long.' },
      { id: 'b', text: 'Bread and coffee were served in the cabin at dawn.' },
    ];
    const lexical = await answer('What about the ocean?', passages);
    expect(lexical.answered).toBe(false);
    const semantic = await answer('What about the ocean?', passages, { embedder });
    expect(semantic.citations.map((citation) => citation.sourceId)).toEqual(['a']);
  });

  it('streams an extractive answer as one text part, then the result', async () => {
    const parts: AnswerStreamPart[] = [];
    for await (const part of answerStream('Who is Starbuck?', chapters.slice(0, 40), { targetWords: 50 })) parts.push(part);
    expect(parts).toHaveLength(2);
    const finish = parts[1] as Extract<AnswerStreamPart, { type: 'finish' }>;
    expect(parts[0]).toEqual({ type: 'text', text: finish.result.text });
    expectCheckable(finish.result, chapters);
  });
});

describe('answer: bad input is a ChunkwiseError that says what to change', () => {
  const passages = chapters.slice(0, 3);
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['an empty question', () => answer('   ', passages), /question is empty/],
    ['a question that is not a string', () => answer(42 as unknown as string, passages), /question as a string/],
    ['no passages', () => answer('Who is Ahab?', []), /at least one passage/],
    ['passages that are not an array', () => answer('Who is Ahab?', { id: 'x' } as unknown as AnswerPassage[]), /array/],
    ['a passage without text', () => answer('Who is Ahab?', [{ id: 'a' } as unknown as AnswerPassage]), /text as a string/],
    ['two passages with one id', () => answer('Who is Ahab?', [passages[0]!, { ...passages[1]!, id: passages[0]!.id }]), /appears twice/],
    ['a negative passage offset', () => answer('Who is Ahab?', [{ id: 'a', text: 'x', start: -1 }]), /start must be a non-negative integer/],
    ['a text without words', () => answer('Who is Ahab?', ' \n\n '), /without words/],
    ['an unknown method', () => answer('Who is Ahab?', passages, { method: 'magic' as never }), /Unknown method/],
    ['an LLM method without a model', () => answer('Who is Ahab?', passages, { method: 'compact' }), /needs a model/],
    ['a model without generate', () => answer('Who is Ahab?', passages, { method: 'tree', model: { contextWindow: 4096 } as never }), /generate/],
    ['a zero target', () => answer('Who is Ahab?', passages, { targetWords: 0 }), /targetWords/],
    ['a minRelevance over 1', () => answer('Who is Ahab?', passages, { minRelevance: 2 }), /minRelevance/],
    ['options that are not an object', () => answer('Who is Ahab?', passages, 'fast' as never), /options must be an object/],
    [
      'streamed, options that are not an object',
      async () => {
        for await (const part of answerStream('Who is Ahab?', passages, 'fast' as never)) void part;
      },
      /options must be an object/,
    ],
  ];
  it.each(cases)('%s', async (_name, run, message) => {
    await expect(run()).rejects.toSatisfy((error) => isChunkwiseError(error, 'INVALID_ARGUMENT') && message.test((error as Error).message));
  });

  it('an aborted signal stops it with ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(answer('Who is Ahab?', chapters, { signal: controller.signal })).rejects.toSatisfy((error) => isChunkwiseError(error, 'ABORTED'));
  });
});
