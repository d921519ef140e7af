import type { OptionalPeer } from '@chunkwise/core';

export const LANGCHAIN_PEER: OptionalPeer = { feature: '@chunkwise/providers/langchain', packages: ['@langchain/core@1'] };
