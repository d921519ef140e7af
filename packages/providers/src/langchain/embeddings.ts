import { Embeddings, type EmbeddingsInterface, type EmbeddingsParams } from '@langchain/core/embeddings';
import { ChunkwiseError, isChunkwiseError, throwIfAborted, type Embedder } from '@chunkwise/core';
import { checkDimensionsOption, checkTextArray, toFloat32Vectors } from '../vector-checks.js';
import { optionsOf, signalOf } from '../argument-checks.js';

/**
 * A LangChain `Embeddings` over a Chunkwise `Embedder`, for vector stores, retrievers and chains.
 * Calls go straight to the embedder (it has its own retries and limits), not through LangChain's
 * AsyncCaller, so a bad argument is not retried six times.
 */
export class ChunkwiseEmbeddings extends Embeddings {
  readonly embedder: Embedder;

  constructor(embedder: Embedder, params: EmbeddingsParams = {}) {
    super(params);
    if (embedder === null || typeof embedder !== 'object' || typeof embedder.embed !== 'function') {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkwiseEmbeddings needs a Chunkwise Embedder (an object with embed(texts)).');
    }
    this.embedder = embedder;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    checkTextArray(documents, 'embedDocuments');
    const vectors = await this.embedder.embed(documents);
    return vectors.map((vector) => Array.from(vector));
  }

  async embedQuery(document: string): Promise<number[]> {
    if (typeof document !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'embedQuery(document) needs a string.');
    return (await this.embedDocuments([document]))[0]!;
  }
}

/** Chunkwise `Embedder` → LangChain `Embeddings`. */
export function toLangChainEmbeddings(embedder: Embedder, params: EmbeddingsParams = {}): ChunkwiseEmbeddings {
  return new ChunkwiseEmbeddings(embedder, params);
}

export interface FromLangChainEmbeddingsOptions {
  /** The vector size you expect (checked). Without it, the first answer sets it and `dimensions` reads 0 until then. */
  dimensions?: number | undefined;
}

/**
 * LangChain `Embeddings` (OpenAIEmbeddings, OllamaEmbeddings, any) → Chunkwise `Embedder`. Answers
 * are checked: one vector per text, the same size every time (DIMENSION_MISMATCH), finite values
 * (UPSTREAM otherwise). LangChain calls take no signal: it is checked before and after each call.
 */
export function fromLangChainEmbeddings(embeddings: EmbeddingsInterface, options?: FromLangChainEmbeddingsOptions): Embedder {
  if (embeddings === null || typeof embeddings !== 'object' || typeof embeddings.embedDocuments !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'fromLangChainEmbeddings needs a LangChain Embeddings object (with embedDocuments).');
  }
  let dimensions = checkDimensionsOption(optionsOf(options, 'fromLangChainEmbeddings options').dimensions);
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
        answer = await embeddings.embedDocuments(texts);
      } catch (error) {
        if (isChunkwiseError(error)) throw error;
        throw new ChunkwiseError('UPSTREAM', `The LangChain embeddings failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      throwIfAborted(signal);
      const checked = toFloat32Vectors('The LangChain embeddings', answer, texts.length, dimensions);
      dimensions = checked.dimensions;
      return checked.vectors;
    },
  };
}
