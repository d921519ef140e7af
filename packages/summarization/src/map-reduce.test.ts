import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { summarize } from './summarize.js';
import { FakeModel, paragraphs, worstBudgetUse } from './__fixtures__/fake-model.js';

describe('map-reduce', () => {
  it('maps chunks concurrently up to the limit, then combines them in one call when they fit', async () => {
    const model = new FakeModel({ contextWindow: 4096, tokenizer: o200k_base, delayMs: 2 });
    const result = await summarize(paragraphs(12, 150), { method: 'map-reduce', model, targetWords: 120, chunkTokens: 250, concurrency: 3 });
    expect(model.maxInFlight).toBe(3);
    expect(result.mergeTree).toEqual([[12]]);
    expect(result).toMatchObject({ calls: 13, levels: 2, words: 120 });
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
  });

  it('collapses in rounds when the map summaries do not fit one prompt', async () => {
    const model = new FakeModel({ contextWindow: 1536, tokenizer: o200k_base });
    const result = await summarize(paragraphs(300, 60), { method: 'map-reduce', model, targetWords: 60, chunkTokens: 90 });
    expect(result.mergeTree!.length).toBeGreaterThan(1);
    expect(result.mergeTree!.at(-1)).toHaveLength(1);
    expect(result.words).toBe(60);
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
    // No context between groups: that is what distinguishes it from hierarchical merging.
    expect(model.requests.some((r) => r.prompt.includes('For context'))).toBe(false);
  });
});
