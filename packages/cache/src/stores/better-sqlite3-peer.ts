import { createRequire } from 'node:module';
import { requireOptionalPeer } from '@chunkwise/core';
import type Database from 'better-sqlite3';

/**
 * better-sqlite3, the optional peer of `@chunkwise/cache/sqlite`, loaded when that subpath is
 * imported: without it the import throws UNSUPPORTED with the install command, not Node's
 * ERR_MODULE_NOT_FOUND.
 */
export const SqliteDatabase: typeof Database = requireOptionalPeer(
  { feature: '@chunkwise/cache/sqlite', packages: ['better-sqlite3@12'] },
  () => createRequire(import.meta.url)('better-sqlite3') as typeof Database,
);
