import type { Embedder, LanguageModel } from '@chunkwise/core';
import { describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../stores/memory-store.js';
import { cachedEmbedder } from './cached-embedder.js';
import { cachedModel } from './cached-model.js';
import { createCache } from './create-cache.js';

const fakeEmbedder = (): Embedder & { embed: ReturnType<typeof vi.fn> } => {
  const embed = vi.fn(async (texts: string[]) => texts.map((t) => new Float32Array([t.length, t.charCodeAt(0) || 0, 0.5])));
  return { dimensions: 3, embed } as Embedder & { embed: typeof embed };
};

describe('cachedEmbedder', () => {
  it('embeds each distinct text once, batches the misses in order, and returns hits from the cache', async () => {
    const inner = fakeEmbedder();
    const cache = createCache({ store: memoryStore({ maxBytes: 1 << 20 }), namespace: 'emb' });
    const embedder = cachedEmbedder(inner, cache, { model: 'fake' });
    const first = await embedder.embed(['whale', 'sea', 'whale']);
    expect(first.map((v) => Array.from(v))).toEqual([[5, 119, 0.5], [3, 115, 0.5], [5, 119, 0.5]]);
    expect(inner.embed).toHaveBeenCalledTimes(1);
    expect(inner.embed).toHaveBeenLastCalledWith(['whale', 'sea'], undefined);
    const second = await embedder.embed(['sea', 'ship', 'whale']);
    expect(second.map((v) => Array.from(v))).toEqual([[3, 115, 0.5], [4, 115, 0.5], [5, 119, 0.5]]);
    expect(inner.embed).toHaveBeenLastCalledWith(['ship'], undefined);
    expect(inner.embed).toHaveBeenCalledTimes(2);
  });

  it('keeps models apart and rejects a vector of the wrong size', async () => {
    const cache = createCache({ store: memoryStore({ maxBytes: 1 << 20 }), namespace: 'emb' });
    const a = fakeEmbedder();
    const b = fakeEmbedder();
    await cachedEmbedder(a, cache, { model: 'a' }).embed(['x']);
    await cachedEmbedder(b, cache, { model: 'b' }).embed(['x']);
    expect(b.embed).toHaveBeenCalledTimes(1);
    const broken: Embedder = { dimensions: 4, embed: async (texts) => texts.map(() => new Float32Array(3)) };
    await expect(cachedEmbedder(broken, cache).embed(['y'])).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
  });
});

describe('cachedModel', () => {
  it('generates an identical request once and keeps usage; different requests miss', async () => {
    const generate = vi.fn(async (req: { prompt: string }) => ({ text: `echo ${req.prompt}`, usage: { promptTokens: 2, completionTokens: 3 } }));
    const logprobs = vi.fn(async (text: string) => new Float32Array([-0.5, -text.length]));
    const model: LanguageModel = { contextWindow: 100, generate, logprobs };
    const cache = createCache({ store: memoryStore({ maxBytes: 1 << 20 }), namespace: 'llm' });
    const cached = cachedModel(model, cache, { model: 'fake' });
    expect(cached.contextWindow).toBe(100);
    const [a, b] = await Promise.all([cached.generate({ prompt: 'hi', temperature: 0 }), cached.generate({ prompt: 'hi', temperature: 0, signal: new AbortController().signal })]);
    expect(a).toEqual({ text: 'echo hi', usage: { promptTokens: 2, completionTokens: 3 } });
    expect(b).toEqual(a);
    expect(generate).toHaveBeenCalledTimes(1);
    await cached.generate({ prompt: 'hi', temperature: 0.7 });
    expect(generate).toHaveBeenCalledTimes(2);
    expect(await cached.logprobs!('abc')).toEqual(new Float32Array([-0.5, -3]));
    expect(await cached.logprobs!('abc')).toEqual(new Float32Array([-0.5, -3]));
    expect(logprobs).toHaveBeenCalledTimes(1);
  });
});

describe('cachedEmbedder under concurrency', () => {
  it('embeds a text once even when concurrent calls ask for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const embed = vi.fn(async (texts: string[]) => {
      await gate;
      return texts.map((t) => new Float32Array([t.length, 1, 2]));
    });
    const cache = createCache({ store: memoryStore({ maxBytes: 1 << 20 }), namespace: 'emb' });
    const embedder = cachedEmbedder({ dimensions: 3, embed }, cache, { model: 'fake' });
    const calls = [embedder.embed(['a', 'bb']), embedder.embed(['bb', 'ccc']), embedder.embed(['a'])];
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const results = await Promise.all(calls);
    expect(results.map((r) => r.map((v) => v[0]))).toEqual([[1, 2], [2, 3], [1]]);
    const embedded = embed.mock.calls.flatMap(([texts]) => texts).sort();
    expect(embedded).toEqual(['a', 'bb', 'ccc']);
  });

  it('passes an embedder failure to every waiting call and caches nothing', async () => {
    const cache = createCache({ store: memoryStore({ maxBytes: 1 << 20 }), namespace: 'emb' });
    const failing: Embedder = { dimensions: 3, embed: async () => Promise.reject(new Error('rate limited')) };
    const embedder = cachedEmbedder(failing, cache);
    const results = await Promise.allSettled([embedder.embed(['x']), embedder.embed(['x'])]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(await cache.get({ kind: 'embedding', model: 'embedder:3', dimensions: 3, text: 'x' })).toBeUndefined();
  });
});
