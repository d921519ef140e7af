import { describe, expect, it } from 'vitest';
import type { Chunk } from '@chunkwise/core';
import { characterTokenizer } from './character-tokenizer.js';
import { CHUNKING_STRATEGIES, createChunker, STRATEGIES, summarizeChunks } from './create-chunker.js';
import { expectChunkInvariants } from './__fixtures__/invariants.js';

describe('createChunker', () => {
  it('builds every model-free strategy, each keeping the invariants', async () => {
    const text = '# Title\n\nCall me Ishmael. Some years ago I went to sea.\n\n- a\n- b\n';
    for (const strategy of STRATEGIES) {
      const chunks = await createChunker(strategy, { tokenizer: characterTokenizer, maxTokens: 20 }).chunk(text);
      expectChunkInvariants(text, chunks, characterTokenizer, { maxTokens: 20 });
    }
  });

  it('lists every strategy with its class, what it needs and its options; STRATEGIES are the model-free ones', async () => {
    const chunking = await import('./index.js');
    for (const info of CHUNKING_STRATEGIES) {
      // Each entry names a real exported class, and createChunker builds exactly the ones that need nothing.
      expect(typeof (chunking as Record<string, unknown>)[info.className]).toBe('function');
      if ('needs' in info) expect(() => createChunker(info.name, { maxTokens: 8 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
      else expect(createChunker(info.name, { maxTokens: 8 }).constructor.name).toBe(info.className);
    }
    expect(CHUNKING_STRATEGIES.map((info) => info.name).sort()).toEqual(['code', 'late', 'markdown', 'optimal', 'perplexity', 'recursive', 'semantic', 'sentence', 'token']);
    expect([...STRATEGIES].sort()).toEqual(['code', 'markdown', 'optimal', 'perplexity', 'recursive', 'sentence', 'token']);
    expect(Object.keys(CHUNKING_STRATEGIES.find((info) => info.name === 'code')?.options ?? {})).toEqual(['language', 'grammar']);
  });

  it('rejects an unknown strategy with INVALID_ARGUMENT', () => {
    expect(() => createChunker('magic', { maxTokens: 5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
  });

  it('says that semantic and late chunking need an embedder', () => {
    for (const strategy of ['semantic', 'late']) {
      expect(() => createChunker(strategy, { maxTokens: 5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('Embedder') as string }) as Error);
    }
  });

  it('builds a syntax-aware code chunker from a language name, and rejects a language for other strategies', async () => {
    const text = 'def a():\n    return 1\n\n\ndef b():\n    return 2\n';
    const chunks = await createChunker('code', { tokenizer: characterTokenizer, maxTokens: 30, language: 'py' }).chunk(text);
    expect(chunks.map((chunk) => chunk.text)).toEqual(['def a():\n    return 1\n\n\n', 'def b():\n    return 2\n']);
    expect(() => createChunker('token', { maxTokens: 5, language: 'py' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
  });
});

describe('summarizeChunks', () => {
  it('counts chunks into equal-width token buckets', () => {
    const chunk = (tokenCount: number): Chunk => ({ text: '', start: 0, end: 0, index: 0, tokenCount });
    const summary = summarizeChunks([1, 2, 3, 4, 8].map(chunk), 8, 4);
    expect(summary.histogram).toEqual([
      { from: 0, to: 2, count: 2 },
      { from: 3, to: 4, count: 2 },
      { from: 5, to: 6, count: 0 },
      { from: 7, to: 8, count: 1 },
    ]);
    expect(summary.tokens).toEqual({ min: 1, max: 8, mean: 3.6, total: 18 });
  });
});
