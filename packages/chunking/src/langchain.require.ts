// The CommonJS build of @chunkwise/chunking/langchain (tsup.config.ts swaps it in for
// langchain.ts): the splitter is required inside requireOptionalPeer, so a missing LangChain peer
// is UNSUPPORTED with the install command here too.
import { requireOptionalPeer } from '@chunkwise/core';
import type * as Splitter from './langchain/chunkwise-text-splitter.js';
import { LANGCHAIN_PEERS } from './langchain/langchain-peers.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a require() is what lets the missing peer be caught synchronously
const splitter = requireOptionalPeer(LANGCHAIN_PEERS, () => require('./langchain/chunkwise-text-splitter.js') as typeof Splitter);

export const ChunkwiseTextSplitter: typeof Splitter.ChunkwiseTextSplitter = splitter.ChunkwiseTextSplitter;
export type ChunkwiseTextSplitter = Splitter.ChunkwiseTextSplitter;
export type { ChunkwiseTextSplitterParams } from './langchain/chunkwise-text-splitter.js';
