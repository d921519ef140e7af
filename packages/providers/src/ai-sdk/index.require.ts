// The CommonJS build of @chunkwise/providers/ai-sdk (tsup.config.ts swaps it in for index.ts): the
// bridges are required inside requireOptionalPeer, so a missing `ai` is UNSUPPORTED here too.
import { requireOptionalPeer } from '@chunkwise/core';
import type * as Bridges from './ai-sdk-bridges.js';
import { AI_SDK_PEER } from './ai-sdk-peer.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a require() is what lets the missing peer be caught synchronously
const bridges = requireOptionalPeer(AI_SDK_PEER, () => require('./ai-sdk-bridges.js') as typeof Bridges);

export const fromAISDK: typeof Bridges.fromAISDK = bridges.fromAISDK;
export const fromAISDKEmbeddingModel: typeof Bridges.fromAISDKEmbeddingModel = bridges.fromAISDKEmbeddingModel;
export const toAISDKEmbeddingModel: typeof Bridges.toAISDKEmbeddingModel = bridges.toAISDKEmbeddingModel;
export type { FromAISDKOptions, AISDKGenerateResult, AISDKLanguageModelAdapter } from './from-ai-sdk.js';
export type { AISDKEmbeddingModelV3, FromAISDKEmbeddingModelOptions, ToAISDKEmbeddingModelOptions } from './embedding-model.js';
