import type { OptionalPeer } from '@chunkwise/core';

/** What `@chunkwise/chunking/langchain` needs installed beside it. */
export const LANGCHAIN_PEERS: OptionalPeer = {
  feature: '@chunkwise/chunking/langchain',
  packages: ['@langchain/core@1', '@langchain/textsplitters@1'],
};
