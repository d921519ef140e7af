// The Vercel AI SDK bridges; they need the optional peer dependency `ai` (≥ 5; the embedding
// bridges ≥ 6). Imported dynamically so that a missing peer is ChunkwiseError('UNSUPPORTED') with
// the install command instead of Node's ERR_MODULE_NOT_FOUND; CommonJS has no top-level await, so
// its build requires them instead (index.require.ts, swapped in by tsup.config.ts).
import { importOptionalPeer } from '@chunkwise/core';
import type * as Bridges from './ai-sdk-bridges.js';
import { AI_SDK_PEER } from './ai-sdk-peer.js';

const bridges = await importOptionalPeer(AI_SDK_PEER, () => import('./ai-sdk-bridges.js'));

export const fromAISDK: typeof Bridges.fromAISDK = bridges.fromAISDK;
export const fromAISDKEmbeddingModel: typeof Bridges.fromAISDKEmbeddingModel = bridges.fromAISDKEmbeddingModel;
export const toAISDKEmbeddingModel: typeof Bridges.toAISDKEmbeddingModel = bridges.toAISDKEmbeddingModel;
export type { FromAISDKOptions, AISDKGenerateResult, AISDKLanguageModelAdapter } from './from-ai-sdk.js';
export type { AISDKEmbeddingModelV3, FromAISDKEmbeddingModelOptions, ToAISDKEmbeddingModelOptions } from './embedding-model.js';
