import { CHUNKING_STRATEGIES, createChunker, RecursiveChunker, STRATEGIES } from '@chunkwise/chunking';
import { isChunkwiseError } from '@chunkwise/core';
import { getEncoding } from '@chunkwise/tokenizers';
import { describe, expect, it } from 'vitest';
import { mobyDickDataset } from '../../vite-plugins/dataset-assets.js';
import { createConfiguredChunker, DEFAULT_CHUNK_CONFIG, describeChunkConfig, PAGE_STRATEGIES } from './chunk-config.js';

const chapter = mobyDickDataset(1).items[0]!.text;

describe('the chunk settings the page offers', () => {
  it('lists chunking’s own model-free strategies, in its order, with its descriptions', () => {
    expect(PAGE_STRATEGIES.map((info) => info.name)).toEqual([...STRATEGIES]);
    for (const info of PAGE_STRATEGIES) expect(info).toBe(CHUNKING_STRATEGIES.find((candidate) => candidate.name === info.name));
  });

  it('builds the chunker a user of @chunkwise/chunking would, for every strategy', async () => {
    const o200k = await getEncoding('o200k_base');
    for (const strategy of ['recursive', 'sentence', 'markdown', 'token']) {
      const config = { ...DEFAULT_CHUNK_CONFIG, strategy, maxTokens: 96, overlap: 8 };
      const expected = await createChunker(strategy, { tokenizer: o200k, maxTokens: 96, overlap: 8 }).chunk(chapter);
      expect(await createConfiguredChunker(config, o200k).chunk(chapter)).toEqual(expected);
    }
    const markdown = await new RecursiveChunker({ tokenizer: o200k, maxTokens: 96, recipe: 'markdown' }).chunk(chapter);
    expect(await createConfiguredChunker({ ...DEFAULT_CHUNK_CONFIG, recipe: 'markdown', maxTokens: 96 }, o200k).chunk(chapter)).toEqual(markdown);
  });

  it('passes an overlap at or over the limit to the chunker, which refuses it (never clamped)', async () => {
    const o200k = await getEncoding('o200k_base');
    for (const strategy of ['recursive', 'token', 'sentence']) {
      for (const overlap of [64, 65, 4096]) {
        let thrown: unknown;
        try {
          createConfiguredChunker({ ...DEFAULT_CHUNK_CONFIG, strategy, maxTokens: 64, overlap }, o200k);
        } catch (error) {
          thrown = error;
        }
        expect(isChunkwiseError(thrown, 'INVALID_ARGUMENT'), `${strategy} overlap ${String(overlap)}`).toBe(true);
      }
    }
  });

  it('describes a config in one line', () => {
    expect(describeChunkConfig({ ...DEFAULT_CHUNK_CONFIG, recipe: 'markdown', overlap: 16 })).toBe('RecursiveChunker (markdown recipe), at most 128 o200k_base tokens, 16 overlap');
    expect(describeChunkConfig({ ...DEFAULT_CHUNK_CONFIG, strategy: 'token' })).toBe('TokenChunker, at most 128 o200k_base tokens');
  });
});
