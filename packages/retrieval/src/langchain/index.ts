// LangChain bridges; they need the optional peer dependency @langchain/core (>= 1).
// The bridges are imported dynamically, so that a missing peer is a ChunkwiseError('UNSUPPORTED')
// with the install command rather than the bare ERR_MODULE_NOT_FOUND a static import would give.
// (The CommonJS build loads them with require() for the same reason: index.require.ts.)
import { importOptionalPeer } from '@chunkwise/core';
import type * as Bridges from './bridges.js';
import { LANGCHAIN_PEER } from './langchain-peer.js';

const bridges: typeof Bridges = await importOptionalPeer(LANGCHAIN_PEER, () => import('./bridges.js'));

export const ChunkwiseRetriever: typeof Bridges.ChunkwiseRetriever = bridges.ChunkwiseRetriever;
export type ChunkwiseRetriever = Bridges.ChunkwiseRetriever;
export const ChunkwiseVectorStore: typeof Bridges.ChunkwiseVectorStore = bridges.ChunkwiseVectorStore;
export type ChunkwiseVectorStore = Bridges.ChunkwiseVectorStore;
export const RETRIEVER_MODES: typeof Bridges.RETRIEVER_MODES = bridges.RETRIEVER_MODES;
export const NESTED_METADATA_KEY: typeof Bridges.NESTED_METADATA_KEY = bridges.NESTED_METADATA_KEY;
export type { ChunkwiseAddOptions, ChunkwiseDeleteParams, ChunkwiseRetrieverFields, ChunkwiseVectorStoreArgs, IndexedDocument, RetrieverMode } from './bridges.js';
