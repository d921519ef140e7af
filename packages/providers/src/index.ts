export { openAICompatible } from './openai-compatible-model.js';
export type { OpenAICompatibleOptions, OpenAICompatibleModel, OpenAICompatibleGenerateResult } from './openai-compatible-model.js';
export type { HttpClientOptions } from './http-client.js';
export type { RetryPolicy } from './retry.js';
export { backoffDelay, parseRetryAfter } from './retry.js';
export { Semaphore } from './semaphore.js';
export { openAICompatibleEmbedder } from './openai-compatible-embedder.js';
export type { OpenAICompatibleEmbedderOptions, OpenAICompatibleEmbedder } from './openai-compatible-embedder.js';
