// The CommonJS build of @chunkwise/providers/langchain (tsup.config.ts swaps it in for index.ts):
// the bridges are required inside requireOptionalPeer, so a missing @langchain/core is UNSUPPORTED
// here too.
import { requireOptionalPeer } from '@chunkwise/core';
import type * as Bridges from './embeddings.js';
import { LANGCHAIN_PEER } from './langchain-peer.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a require() is what lets the missing peer be caught synchronously
const bridges = requireOptionalPeer(LANGCHAIN_PEER, () => require('./embeddings.js') as typeof Bridges);

export const ChunkwiseEmbeddings: typeof Bridges.ChunkwiseEmbeddings = bridges.ChunkwiseEmbeddings;
export type ChunkwiseEmbeddings = Bridges.ChunkwiseEmbeddings;
export const toLangChainEmbeddings: typeof Bridges.toLangChainEmbeddings = bridges.toLangChainEmbeddings;
export const fromLangChainEmbeddings: typeof Bridges.fromLangChainEmbeddings = bridges.fromLangChainEmbeddings;
export type { FromLangChainEmbeddingsOptions } from './embeddings.js';
