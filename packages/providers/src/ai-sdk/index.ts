// Needs the optional peer dependency `ai` (≥ 5).
export { fromAISDK } from './from-ai-sdk.js';
export type { FromAISDKOptions, AISDKGenerateResult, AISDKLanguageModelAdapter } from './from-ai-sdk.js';
