// Node-only test helpers: a loopback OpenAI-compatible server and its deterministic answers.
export { startMockOpenAIServer } from './mock-openai-server.js';
export type { MockOpenAIServer, MockOpenAIServerOptions, MockStep } from './mock-openai-server.js';
export {
  createDefaultResponder,
  mockChatStream,
  mockCompletion,
  mockEmbedding,
  mockLogprobs,
  mockWords,
  float32ToBase64,
} from './mock-responder.js';
export type { MockRequest, MockResponse, MockResponder } from './mock-responder.js';
export { writeTinyTransformersModel, tinyModelRow, TINY_MODEL_VOCAB, TINY_MODEL_HIDDEN } from './tiny-transformers-model.js';
