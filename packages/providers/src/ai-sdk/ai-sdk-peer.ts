import type { OptionalPeer } from '@chunkwise/core';

export const AI_SDK_PEER: OptionalPeer = { feature: '@chunkwise/providers/ai-sdk', packages: ['ai'] };
