import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { extractiveSummary } from './extractive-summary.js';
import { summarize, SUMMARIZATION_METHODS } from './summarize.js';
import type { SummaryCache } from './summary-cache.js';
import { FakeModel, paragraphs, worstBudgetUse } from './__fixtures__/fake-model.js';
import { mobyDick, sotuAddresses } from './__fixtures__/datasets.js';

const addresses = sotuAddresses();
const LLM_METHODS = SUMMARIZATION_METHODS.filter((method) => method !== 'extractive');

/** Share of the summary's sentences that mention one of `words`. */
function onTopic(text: string, spans: readonly { start: number; end: number }[], words: RegExp): number {
  return spans.filter((span) => words.test(text.slice(span.start, span.end))).length / Math.max(spans.length, 1);
}

describe('summarize(text, { question }): a summary focused on the question', () => {
  it('extractive: sentences about the question instead of the address at large', () => {
    const cases: [number, string, RegExp][] = [
      [1990, 'What did the President propose about education and schools?', /educat|school/i],
      [1962, 'What did the President say about the Peace Corps and foreign aid?', /peace|foreign|\baid\b/i],
      [2010, 'What about jobs and the economy?', /\bjobs?\b|econom/i],
    ];
    for (const [year, question, topic] of cases) {
      const text = addresses.find((address) => address.year === year)!.text;
      const plain = extractiveSummary(text, { targetWords: 120 });
      const focused = extractiveSummary(text, { targetWords: 120, question });
      expect(onTopic(text, focused.sentences, topic)).toBeGreaterThanOrEqual(0.6);
      expect(onTopic(text, focused.sentences, topic)).toBeGreaterThan(onTopic(text, plain.sentences, topic));
      expect(Math.abs(focused.words - 120)).toBeLessThanOrEqual(12);
    }
  });

  it('extractive, on a whole book: Queequeg and his coffin rather than the book at large', async () => {
    const book = mobyDick();
    const result = await summarize(book.text, { targetWords: 150, question: 'What happens to Queequeg and his coffin?', extractive: { sections: book.chapters } });
    const sentences = result.summary.split(/(?<=[.!?])\s+/);
    expect(sentences.filter((sentence) => /queequeg|coffin/i.test(sentence)).length / sentences.length).toBeGreaterThanOrEqual(0.6);
  });

  it.each(LLM_METHODS)('%s: every request carries the question, none over the window', async (method) => {
    const model = new FakeModel({ contextWindow: 2048, tokenizer: o200k_base });
    const question = 'What becomes of the harpoon and the lantern?';
    await summarize(paragraphs(20, 150), { method, model, targetWords: 80, chunkTokens: 400, question });
    expect(model.calls).toBeGreaterThan(1);
    for (const request of model.requests) expect(request.system).toContain(question);
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
  });

  it('never sends a prompt over the window for any question length, window and method (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LLM_METHODS), fc.integer({ min: 1024, max: 6000 }), fc.integer({ min: 1, max: 120 }), fc.boolean(), async (method, contextWindow, questionWords, own) => {
        const model = new FakeModel({ contextWindow, ...(own ? { tokenizer: o200k_base } : {}) });
        const question = `${Array.from({ length: questionWords }, (_, i) => ['harpoon', 'voyage', 'captain', 'island'][i % 4]).join(' ')}?`;
        try {
          await summarize(paragraphs(12, 150), { method, model, targetWords: 60, question });
        } catch (error) {
          expect(isChunkwiseError(error, 'INVALID_ARGUMENT')).toBe(true);
          expect(model.calls).toBe(0);
          return;
        }
        expect(worstBudgetUse(model, o200k_base, own ? 1 : 1.25)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('caches summaries per question: another question is another summary', async () => {
    const store = new Map<string, string>();
    const cache: SummaryCache = { get: (key) => store.get(key), set: (key, value) => void store.set(key, value) };
    const options = { method: 'map-reduce', targetWords: 60, chunkTokens: 300, cache } as const;
    await summarize(paragraphs(8, 150), { ...options, model: new FakeModel({ contextWindow: 2048, tokenizer: o200k_base }), question: 'What about the harpoon?' });
    const same = new FakeModel({ contextWindow: 2048, tokenizer: o200k_base });
    await summarize(paragraphs(8, 150), { ...options, model: same, question: 'What about the harpoon?' });
    expect(same.calls).toBe(0);
    const other = new FakeModel({ contextWindow: 2048, tokenizer: o200k_base });
    await summarize(paragraphs(8, 150), { ...options, model: other, question: 'What about the lantern?' });
    expect(other.calls).toBeGreaterThan(0);
  });

  it('rejects an empty question', async () => {
    await expect(summarize('Some text here.', { targetWords: 5, question: '  ' })).rejects.toSatisfy((error) => isChunkwiseError(error, 'INVALID_ARGUMENT'));
    expect(() => extractiveSummary('Some text here.', { targetWords: 5, question: '' })).toThrow(/question/);
  });
});
