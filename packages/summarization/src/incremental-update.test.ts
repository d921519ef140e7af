import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { summarize } from './summarize.js';
import { FakeModel, askedWords, paragraphs, worstBudgetUse } from './__fixtures__/fake-model.js';

const TEXT = paragraphs(24, 120);
const isUpdate = (prompt: string) => prompt.startsWith('Below is a summary of a document up to a point');
const isCompress = (prompt: string) => prompt.startsWith('Below is a summary of part of a document. Shorten it');

describe('incremental updating (BooookScore)', () => {
  it('updates a running summary chunk by chunk, within the window, to the target', async () => {
    const model = new FakeModel({ contextWindow: 2048, tokenizer: o200k_base });
    const result = await summarize(TEXT, { method: 'incremental', model, targetWords: 100, chunkTokens: 300 });
    const updates = model.requests.filter((r) => isUpdate(r.prompt));
    expect(updates.length).toBe(model.calls - 1);
    expect(result).toMatchObject({ words: 100, compressions: 0, levels: 1, retries: 0 });
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
    // Each update carries the previous answer as the summary so far.
    const previousAnswer = /Summary so far:\n"""\n([\s\S]*?)\n"""/.exec(updates[1]!.prompt)![1];
    expect(previousAnswer).toMatch(/\.$/);
  });

  it('compresses the running summary when an update overflows, then recovers', async () => {
    // The third update keeps coming back twice too long: the running summary would overflow.
    let updates = 0;
    const model = new FakeModel({
      contextWindow: 2048,
      tokenizer: o200k_base,
      respond: (request) => {
        if (!isUpdate(request.prompt)) return 'normal';
        updates++;
        return updates >= 3 && updates <= 6 ? 'too-long' : 'normal';
      },
    });
    const result = await summarize(TEXT, { method: 'incremental', model, targetWords: 100, chunkTokens: 300 });
    expect(result.compressions).toBe(1);
    const compressAt = model.requests.findIndex((r) => isCompress(r.prompt));
    expect(compressAt).toBeGreaterThan(0);
    // Compressed to target·j/n words (BooookScore's schedule), then the same update is redone and accepted.
    expect(askedWords(model.requests[compressAt]!.prompt)).toBeLessThan(100);
    expect(isUpdate(model.requests[compressAt + 1]!.prompt)).toBe(true);
    expect(result.words).toBe(100);
    expect(result.lengthMisses).toBe(0);
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
  });

  it('shrinks a running summary that a model returned far over its limit before the next update', async () => {
    const model = new FakeModel({
      contextWindow: 2048,
      tokenizer: o200k_base,
      // The first answer ignores max_tokens entirely: 700 words.
      script: [{ text: 'The harpoon flew across the ocean toward the whale. '.repeat(70) }],
    });
    const result = await summarize(TEXT, { method: 'incremental', model, targetWords: 100, chunkTokens: 300, maxRetries: 0 });
    expect(model.requests.some((r) => isCompress(r.prompt))).toBe(true);
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
    expect(result.words).toBe(100);
  });
});
