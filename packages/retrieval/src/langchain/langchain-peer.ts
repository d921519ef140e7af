import type { OptionalPeer } from '@chunkwise/core';

/** What the LangChain bridges need, for core's requireOptionalPeer / importOptionalPeer. */
export const LANGCHAIN_PEER: OptionalPeer = { feature: '@chunkwise/retrieval/langchain', packages: ['@langchain/core@1'] };
