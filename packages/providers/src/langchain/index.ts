// The LangChain bridges; they need the optional peer dependency @langchain/core (≥ 1). Imported
// dynamically so that a missing peer is ChunkwiseError('UNSUPPORTED') with the install command
// instead of Node's ERR_MODULE_NOT_FOUND; CommonJS has no top-level await, so its build requires
// them instead (index.require.ts, swapped in by tsup.config.ts).
import { importOptionalPeer } from '@chunkwise/core';
import type * as Bridges from './embeddings.js';
import { LANGCHAIN_PEER } from './langchain-peer.js';

const bridges = await importOptionalPeer(LANGCHAIN_PEER, () => import('./embeddings.js'));

export const ChunkwiseEmbeddings: typeof Bridges.ChunkwiseEmbeddings = bridges.ChunkwiseEmbeddings;
export type ChunkwiseEmbeddings = Bridges.ChunkwiseEmbeddings;
export const toLangChainEmbeddings: typeof Bridges.toLangChainEmbeddings = bridges.toLangChainEmbeddings;
export const fromLangChainEmbeddings: typeof Bridges.fromLangChainEmbeddings = bridges.fromLangChainEmbeddings;
export type { FromLangChainEmbeddingsOptions } from './embeddings.js';
