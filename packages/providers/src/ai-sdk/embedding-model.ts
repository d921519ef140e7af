import { embedMany, type EmbeddingModel } from 'ai';
import { ChunkwiseError, isChunkwiseError, throwIfAborted, type Embedder } from '@chunkwise/core';
import { checkDimensionsOption, checkTextArray, toFloat32Vectors } from '../vector-checks.js';
import { toChunkwiseError } from './from-ai-sdk.js';
import { optionsOf, show, signalOf } from '../argument-checks.js';

/** The AI SDK's embedding model specification v3 (ai ≥ 6), taken from `ai`'s own union. */
export type AISDKEmbeddingModelV3 = Extract<EmbeddingModel, { specificationVersion: 'v3' }>;

export interface FromAISDKEmbeddingModelOptions {
  /** The vector size you expect (checked). Without it, the first answer sets it and `dimensions` reads 0 until then. */
  dimensions?: number | undefined;
  /** Passed to `embedMany` (it retries with its own backoff). Default 2. */
  maxRetries?: number | undefined;
  /** Passed to `embedMany`: calls in flight when it splits the texts. Default: the AI SDK's. */
  maxParallelCalls?: number | undefined;
  providerOptions?: Parameters<typeof embedMany>[0]['providerOptions'] | undefined;
}

/**
 * AI SDK embedding model (`openai.embedding('text-embedding-3-small')`, any provider's) →
 * Chunkwise `Embedder`, through `embedMany` from `ai` (which splits by `maxEmbeddingsPerCall`).
 * API errors become UPSTREAM with status and body, a fired signal ABORTED, a wrong size DIMENSION_MISMATCH.
 */
export function fromAISDKEmbeddingModel(model: EmbeddingModel, options: FromAISDKEmbeddingModelOptions = {}): Embedder {
  if (model === null || model === undefined || (typeof model !== 'object' && typeof model !== 'string')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'fromAISDKEmbeddingModel needs an AI SDK embedding model.');
  }
  options = optionsOf(options, 'fromAISDKEmbeddingModel options');
  let dimensions = checkDimensionsOption(options.dimensions);
  return {
    get dimensions() {
      return dimensions;
    },
    async embed(texts: string[], opts?: { signal?: AbortSignal }): Promise<Float32Array[]> {
      checkTextArray(texts);
      const signal = signalOf(opts);
      throwIfAborted(signal);
      if (texts.length === 0) return [];
      let answer: unknown;
      try {
        const result = await embedMany({
          model,
          values: texts,
          ...(signal === undefined ? {} : { abortSignal: signal }),
          ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
          ...(options.maxParallelCalls === undefined ? {} : { maxParallelCalls: options.maxParallelCalls }),
          ...(options.providerOptions === undefined ? {} : { providerOptions: options.providerOptions }),
        });
        answer = result.embeddings;
      } catch (error) {
        throw toChunkwiseError(error, signal);
      }
      const checked = toFloat32Vectors('The AI SDK embedding model', answer, texts.length, dimensions);
      dimensions = checked.dimensions;
      return checked.vectors;
    },
  };
}

export interface ToAISDKEmbeddingModelOptions {
  /** Shown by the AI SDK in logs and telemetry. Default `'chunkwise'`. */
  modelId?: string | undefined;
  provider?: string | undefined;
  /** Texts per `doEmbed` call; `embedMany` splits larger inputs. Default 2048. */
  maxEmbeddingsPerCall?: number | undefined;
}

/**
 * Chunkwise `Embedder` (the offline GloVe/SIF or Model2Vec embedders, or any other) → AI SDK
 * embedding model (specification v3, ai ≥ 6), for `embed`, `embedMany` and everything built on them.
 * Chunkwise errors reach the AI SDK as they are; the AI SDK does not retry them.
 */
export function toAISDKEmbeddingModel(embedder: Embedder, options: ToAISDKEmbeddingModelOptions = {}): AISDKEmbeddingModelV3 {
  if (embedder === null || typeof embedder !== 'object' || typeof embedder.embed !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'toAISDKEmbeddingModel needs a Chunkwise Embedder (an object with embed(texts)).');
  }
  options = optionsOf(options, 'toAISDKEmbeddingModel options');
  const maxEmbeddingsPerCall = options.maxEmbeddingsPerCall ?? 2048;
  if (!Number.isInteger(maxEmbeddingsPerCall) || maxEmbeddingsPerCall < 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `maxEmbeddingsPerCall must be an integer ≥ 1, got ${show(maxEmbeddingsPerCall)}.`);
  }
  return {
    specificationVersion: 'v3',
    provider: typeof options.provider === 'string' ? options.provider : 'chunkwise',
    modelId: typeof options.modelId === 'string' ? options.modelId : 'chunkwise',
    maxEmbeddingsPerCall,
    supportsParallelCalls: true,
    async doEmbed(call) {
      const { values, abortSignal } = (call ?? {}) as Partial<typeof call>;
      checkTextArray(values, 'doEmbed({ values })');
      if (abortSignal !== undefined && !(abortSignal instanceof AbortSignal)) throw new ChunkwiseError('INVALID_ARGUMENT', `abortSignal must be an AbortSignal, got ${show(abortSignal)}.`);
      try {
        const vectors = await embedder.embed(values, abortSignal === undefined ? {} : { signal: abortSignal });
        return { embeddings: vectors.map((vector) => Array.from(vector)), warnings: [] };
      } catch (error) {
        // The AI SDK retries errors it deems retryable; a Chunkwise error is final.
        if (isChunkwiseError(error)) Object.defineProperty(error, 'isRetryable', { value: false });
        throw error;
      }
    },
  };
}
