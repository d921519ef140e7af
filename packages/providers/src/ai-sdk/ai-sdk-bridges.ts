// Everything of @chunkwise/providers/ai-sdk, loaded by index.ts once `ai` is known to be installed.
export { fromAISDK } from './from-ai-sdk.js';
export type { FromAISDKOptions, AISDKGenerateResult, AISDKLanguageModelAdapter } from './from-ai-sdk.js';
export { fromAISDKEmbeddingModel, toAISDKEmbeddingModel } from './embedding-model.js';
export type { AISDKEmbeddingModelV3, FromAISDKEmbeddingModelOptions, ToAISDKEmbeddingModelOptions } from './embedding-model.js';
