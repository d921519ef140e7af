import { ChunkwiseError, type GenerateRequest, type GenerateResult, type LanguageModel } from '@chunkwise/core';
import { checkOptions, optionalOptions } from '../argument-checks.js';
import { checkCache, type Cache } from './create-cache.js';
import type { CacheValue, JsonValue } from './value-codec.js';

export interface CachedModelOptions {
  /** Names the model in every key, so two models sharing a cache never answer for each other. */
  model?: string;
}

/**
 * Wraps a `LanguageModel` so an identical request (system, prompt, maxTokens, temperature) is
 * generated once; concurrent identical requests share one call. The AbortSignal is not part of the
 * key. Only cache deterministic calls (temperature 0) if you want fresh samples otherwise.
 */
export function cachedModel(model: LanguageModel, cache: Cache<CacheValue>, options: CachedModelOptions = {}): LanguageModel {
  if (!model || typeof model.generate !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'cachedModel: the first argument must be a LanguageModel ({ contextWindow, generate }).');
  }
  const { model: modelOption } = optionalOptions('cachedModel', options);
  if (modelOption !== undefined && typeof modelOption !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'cachedModel: options.model must be a string.');
  checkCache('cachedModel', cache);
  const id = modelOption ?? `model:${String(model.contextWindow)}`;
  const wrapped: LanguageModel = {
    contextWindow: model.contextWindow,
    ...(model.tokenizer ? { tokenizer: model.tokenizer } : {}),
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      checkOptions('cachedModel.generate', request, 'request');
      const { signal: _signal, ...rest } = request;
      const key = { kind: 'generate', model: id, ...rest };
      const result = await cache.getOrCompute(key, async () => {
        const generated = await model.generate(request);
        if (typeof generated?.text !== 'string') throw new ChunkwiseError('UPSTREAM', 'cachedModel: the model returned no text.');
        const stored: { text: string; usage?: { promptTokens: number; completionTokens: number } } = { text: generated.text };
        if (generated.usage) stored.usage = { promptTokens: generated.usage.promptTokens, completionTokens: generated.usage.completionTokens };
        return stored as unknown as JsonValue;
      });
      return result as unknown as GenerateResult;
    },
  };
  if (model.logprobs) {
    const logprobs = model.logprobs.bind(model);
    wrapped.logprobs = async (text, opts) => {
      const value = await cache.getOrCompute({ kind: 'logprobs', model: id, text }, () => logprobs(text, opts));
      if (!(value instanceof Float32Array)) throw new ChunkwiseError('CORRUPT_DATA', 'cachedModel: a cached logprobs entry is not a Float32Array.');
      return value;
    };
  }
  return wrapped;
}
