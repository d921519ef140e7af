import { chunkwiseTsupConfig } from '../../tooling/tsup.shared.js';

export default chunkwiseTsupConfig({
  // The default entry is browser-safe; the SQLite and Redis stores are Node-only subpaths so a
  // browser bundle never pulls in better-sqlite3 or ioredis.
  entry: ['src/index.ts', 'src/sqlite.ts', 'src/redis.ts', 'src/indexeddb.ts'],
  external: ['better-sqlite3', 'ioredis'],
  // The stores load their peer with createRequire(import.meta.url): CJS too.
  shims: true,
});
