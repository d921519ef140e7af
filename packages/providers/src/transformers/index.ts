// Needs the optional peer dependency @huggingface/transformers.
export { transformersEmbedder } from './transformers-embedder.js';
export type { TransformersEmbedderOptions, TransformersEmbedder } from './transformers-embedder.js';
