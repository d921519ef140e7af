import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { summarize } from './summarize.js';
import { FakeModel, askedWords, paragraphs, worstBudgetUse } from './__fixtures__/fake-model.js';

const WORDS_PER_PARAGRAPH = 60;
const paragraphTokens = paragraphs(50, WORDS_PER_PARAGRAPH)
  .split('\n\n')
  .map((p) => o200k_base.count(p));
// One paragraph per chunk: room for the longest, not for two of the shortest.
const CHUNK_TOKENS = Math.max(...paragraphTokens) + 4;

async function run(chunks: number, options: { contextWindow?: number; targetWords?: number; mergeContext?: boolean } = {}) {
  const model = new FakeModel({ contextWindow: options.contextWindow ?? 1536, tokenizer: o200k_base });
  const result = await summarize(paragraphs(chunks, WORDS_PER_PARAGRAPH), {
    method: 'hierarchical',
    model,
    targetWords: options.targetWords ?? 40,
    chunkTokens: CHUNK_TOKENS,
    ...(options.mergeContext === undefined ? {} : { mergeContext: options.mergeContext }),
  });
  return { model, result };
}

/** The merge tree is right: each level merges consecutive summaries of the level below, down to one. */
function expectWellFormedTree(chunks: number, result: Awaited<ReturnType<typeof run>>['result'], calls: number) {
  const tree = result.mergeTree!;
  let count = chunks;
  for (const level of tree) {
    expect(level.reduce((a, b) => a + b, 0)).toBe(count);
    // Every level makes progress, so the tree has at most log2(n) + 1 merge levels.
    expect(level.length).toBeLessThan(count);
    count = level.length;
  }
  expect(count).toBe(1);
  expect(result.levels).toBe(tree.length + 1);
  const merges = tree.flat().filter((size) => size > 1).length;
  expect(calls).toBe(chunks + merges);
  expect(result.calls).toBe(calls);
  expect(tree.length).toBeLessThanOrEqual(Math.ceil(Math.log2(Math.max(chunks, 2))));
}

describe('hierarchical merging (BooookScore)', () => {
  it('summarises a one-chunk text in one call, straight to the target', async () => {
    const { model, result } = await run(1);
    expect(model.calls).toBe(1);
    expect(result).toMatchObject({ levels: 1, mergeTree: [], words: 40 });
    expect(askedWords(model.requests[0]!.prompt)).toBe(40);
  });

  it.each([2, 3, 17, 500])('builds a correct merge tree for %i chunks, every prompt within the window', async (chunks) => {
    const { model, result } = await run(chunks);
    expectWellFormedTree(chunks, result, model.calls);
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
    expect(result.words).toBe(40);
    expect(result.retries).toBe(0);
  });

  it('builds a correct tree for any number of chunks from 1 to 500 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1536, max: 4096 }), async (chunks, contextWindow) => {
        const { model, result } = await run(chunks, { contextWindow });
        if (chunks > 1) expectWellFormedTree(chunks, result, model.calls);
        expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 4 },
    );
  });

  it('gives each merge after the first in a level the previous merged summary, capped at 20% of the budget', async () => {
    const { model } = await run(40);
    const merges = model.requests.filter((r) => r.prompt.startsWith('Below are summaries'));
    const withContext = merges.filter((r) => r.prompt.includes('For context'));
    expect(withContext.length).toBeGreaterThan(0);
    for (const request of withContext) {
      const context = /For context[^\n]*\n"""\n([\s\S]*?)\n"""/.exec(request.prompt)![1]!;
      expect(o200k_base.count(context)).toBeLessThanOrEqual(0.2 * (model.contextWindow - request.maxTokens!));
    }
    const { model: plain } = await run(40, { mergeContext: false });
    expect(plain.requests.some((r) => r.prompt.includes('For context'))).toBe(false);
  });

  it('asks lower levels for fewer words than the top, and the final merge for exactly the target', async () => {
    const { model } = await run(200, { targetWords: 120, contextWindow: 2048 });
    const chunkTargets = model.requests.filter((r) => r.prompt.startsWith('Below is one part')).map((r) => askedWords(r.prompt));
    expect(Math.max(...chunkTargets)).toBeLessThan(120);
    expect(askedWords(model.requests.at(-1)!.prompt)).toBe(120);
  });

  it('compresses, never cuts, chunk summaries that a model returned far over max_tokens', async () => {
    const huge = { text: 'The harpoon flew across the grey ocean toward the white whale at dawn. '.repeat(80) };
    const model = new FakeModel({ contextWindow: 2048, tokenizer: o200k_base, script: [huge, huge, huge] });
    const result = await summarize(paragraphs(12, WORDS_PER_PARAGRAPH), {
      method: 'hierarchical',
      model,
      targetWords: 60,
      chunkTokens: CHUNK_TOKENS,
      maxRetries: 0,
      concurrency: 1,
    });
    const compressions = model.requests.filter((r) => r.prompt.startsWith('Below is a summary of part of a document. Shorten it'));
    expect(compressions.length).toBeGreaterThanOrEqual(3);
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
    expect(result.words).toBe(60);
  });
});
