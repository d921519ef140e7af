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
