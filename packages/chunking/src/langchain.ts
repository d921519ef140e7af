// A LangChain TextSplitter backed by a Chunkwise chunker; it needs the optional peers
// @langchain/core and @langchain/textsplitters. The splitter is imported dynamically so that a
// missing peer is ChunkwiseError('UNSUPPORTED') with the install command instead of Node's
// ERR_MODULE_NOT_FOUND; CommonJS has no top-level await, so its build requires it instead
// (langchain.require.ts, swapped in by tsup.config.ts).
import { importOptionalPeer } from '@chunkwise/core';
import type * as Splitter from './langchain/chunkwise-text-splitter.js';
import { LANGCHAIN_PEERS } from './langchain/langchain-peers.js';

const splitter = await importOptionalPeer(LANGCHAIN_PEERS, () => import('./langchain/chunkwise-text-splitter.js'));

export const ChunkwiseTextSplitter: typeof Splitter.ChunkwiseTextSplitter = splitter.ChunkwiseTextSplitter;
export type ChunkwiseTextSplitter = Splitter.ChunkwiseTextSplitter;
export type { ChunkwiseTextSplitterParams } from './langchain/chunkwise-text-splitter.js';
