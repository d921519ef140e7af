import { chunkwiseTsupConfig } from '../../tooling/tsup.shared.js';

export default chunkwiseTsupConfig({
  entry: { index: 'src/index.ts', sqlite: 'src/sqlite.ts', postgres: 'src/postgres.ts', 'langchain/index': 'src/langchain/index.ts' },
  // CommonJS has no top-level await: its langchain entry requires the bridges inside a try instead
  // (index.require.ts), so a missing @langchain/core is UNSUPPORTED there too.
  requireEntries: { 'langchain/index': 'src/langchain/index.require.ts' },
  // The SQLite subpath loads better-sqlite3 with createRequire(import.meta.url): CJS too.
  shims: true,
});
