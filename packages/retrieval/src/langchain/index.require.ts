// The CommonJS build of @chunkwise/retrieval/langchain (tsup.config.ts swaps it in for index.ts):
// CommonJS has no top-level await, so the bridges are required through requireOptionalPeer, with the same
// UNSUPPORTED error when @langchain/core is missing.
import { requireOptionalPeer } from '@chunkwise/core';
import type * as Bridges from './bridges.js';
import { LANGCHAIN_PEER } from './langchain-peer.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a require() here is what lets the missing peer be caught
const bridges = requireOptionalPeer(LANGCHAIN_PEER, () => require('./bridges.js') as typeof Bridges);

export const ChunkwiseRetriever: typeof Bridges.ChunkwiseRetriever = bridges.ChunkwiseRetriever;
export type ChunkwiseRetriever = Bridges.ChunkwiseRetriever;
export const ChunkwiseVectorStore: typeof Bridges.ChunkwiseVectorStore = bridges.ChunkwiseVectorStore;
export type ChunkwiseVectorStore = Bridges.ChunkwiseVectorStore;
export const RETRIEVER_MODES: typeof Bridges.RETRIEVER_MODES = bridges.RETRIEVER_MODES;
export const NESTED_METADATA_KEY: typeof Bridges.NESTED_METADATA_KEY = bridges.NESTED_METADATA_KEY;
export type { ChunkwiseAddOptions, ChunkwiseDeleteParams, ChunkwiseRetrieverFields, ChunkwiseVectorStoreArgs, IndexedDocument, RetrieverMode } from './bridges.js';
