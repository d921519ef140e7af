import { createRequire } from 'node:module';
import { requireOptionalPeer } from '@chunkwise/core';
import type * as IoRedisModule from 'ioredis';

/**
 * ioredis, the optional peer of `@chunkwise/cache/redis`, loaded when that subpath is imported:
 * without it the import throws UNSUPPORTED with the install command, not Node's
 * ERR_MODULE_NOT_FOUND.
 */
export const ioredis: typeof IoRedisModule = requireOptionalPeer(
  { feature: '@chunkwise/cache/redis', packages: ['ioredis'] },
  () => createRequire(import.meta.url)('ioredis') as typeof IoRedisModule,
);
