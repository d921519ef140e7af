// Type-level checks, compiled by `pnpm typecheck`: the clients are the core interfaces, so any
// Chunkwise package that takes a LanguageModel or an Embedder takes them unchanged.
import { expectTypeOf } from 'vitest';
import type { Embedder, LanguageModel } from '@chunkwise/core';
import { openAICompatible, openAICompatibleEmbedder } from './index.js';
import { fromAISDK } from './ai-sdk/index.js';
import { transformersEmbedder } from './transformers/index.js';

expectTypeOf(openAICompatible).returns.toExtend<LanguageModel>();
expectTypeOf(openAICompatibleEmbedder).returns.toExtend<Embedder>();
expectTypeOf(fromAISDK).returns.toExtend<LanguageModel>();
expectTypeOf(transformersEmbedder).returns.toExtend<Embedder>();

// Settings read from the environment may be undefined, even under exactOptionalPropertyTypes.
openAICompatible({ baseURL: 'http://localhost:11434/v1', model: 'm', contextWindow: 8192, apiKey: process.env.OPENAI_API_KEY });

// @ts-expect-error contextWindow is required: servers do not report it.
openAICompatible({ baseURL: 'http://localhost:11434/v1', model: 'm' });

// The static embedders are Embedders and LateChunker TokenEmbedders; the bridges give the other
// libraries' own types.
import type { TokenEmbedder } from '@chunkwise/chunking';
import type { EmbeddingModel } from 'ai';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { SifEmbedder, StaticModelEmbedder, SifState } from './static/index.js';
import { fromAISDKEmbeddingModel, toAISDKEmbeddingModel } from './ai-sdk/index.js';
import { fromLangChainEmbeddings, toLangChainEmbeddings } from './langchain/index.js';

expectTypeOf<SifEmbedder>().toExtend<Embedder>();
expectTypeOf<SifEmbedder>().toExtend<TokenEmbedder>();
expectTypeOf<StaticModelEmbedder>().toExtend<Embedder>();
expectTypeOf<StaticModelEmbedder>().toExtend<TokenEmbedder>();
expectTypeOf<SifEmbedder['fit']>().returns.toEqualTypeOf<SifState>();
expectTypeOf(openAICompatible).returns.toHaveProperty('generateStream');
expectTypeOf(fromAISDK).returns.toHaveProperty('generateStream');
expectTypeOf(toAISDKEmbeddingModel).returns.toExtend<EmbeddingModel>();
expectTypeOf(fromAISDKEmbeddingModel).returns.toExtend<Embedder>();
expectTypeOf(toLangChainEmbeddings).returns.toExtend<EmbeddingsInterface>();
expectTypeOf(fromLangChainEmbeddings).returns.toExtend<Embedder>();
