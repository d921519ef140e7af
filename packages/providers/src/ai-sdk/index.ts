// Needs the optional peer dependency `ai` (≥ 5).
export { fromAISDK } from './from-ai-sdk.js';
export type { FromAISDKOptions, AISDKGenerateResult, AISDKLanguageModelAdapter } from './from-ai-sdk.js';
export { fromAISDKEmbeddingModel, toAISDKEmbeddingModel } from './embedding-model.js';
export type { AISDKEmbeddingModelV3, FromAISDKEmbeddingModelOptions, ToAISDKEmbeddingModelOptions } from './embedding-model.js';
