import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { summarize } from './summarize.js';
import { FakeModel, paragraphs, worstBudgetUse } from './__fixtures__/fake-model.js';

describe('refine', () => {
  it('refines one summary chunk by chunk, sequentially, with every prompt inside the window', async () => {
    const model = new FakeModel({ contextWindow: 2048, tokenizer: o200k_base });
    const result = await summarize(paragraphs(20, 120), { method: 'refine', model, targetWords: 80, chunkTokens: 400 });
    const refines = model.requests.filter((r) => r.prompt.startsWith('Below is an existing summary'));
    expect(refines.length).toBe(model.calls - 1);
    expect(model.maxInFlight).toBe(1);
    expect(result).toMatchObject({ words: 80, levels: 1 });
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
  });
});
