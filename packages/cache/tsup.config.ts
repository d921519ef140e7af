import { defineConfig } from 'tsup';

export default defineConfig({
  // The default entry is browser-safe; the SQLite and Redis stores are Node-only subpaths so a
  // browser bundle never pulls in better-sqlite3 or ioredis.
  entry: ['src/index.ts', 'src/sqlite.ts', 'src/redis.ts', 'src/indexeddb.ts'],
  format: ['esm', 'cjs'],
  external: ['better-sqlite3', 'ioredis'],
  // tsup injects baseUrl, which TypeScript 6 deprecates (egoist/tsup#1388). Declarations resolve
  // siblings through their built types, not the source condition, so nothing gets inlined.
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
