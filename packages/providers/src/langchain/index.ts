// Needs the optional peer dependency @langchain/core (≥ 1).
export { ChunkwiseEmbeddings, toLangChainEmbeddings, fromLangChainEmbeddings } from './embeddings.js';
export type { FromLangChainEmbeddingsOptions } from './embeddings.js';
