import { chunkwiseTsupConfig } from '../../tooling/tsup.shared.js';

export default chunkwiseTsupConfig({
  entry: { index: 'src/index.ts', sqlite: 'src/sqlite.ts', postgres: 'src/postgres.ts', 'langchain/index': 'src/langchain/index.ts' },
  // CommonJS has no top-level await: its langchain entry requires the bridges inside a try instead
  // (index.require.ts), so a missing @langchain/core is UNSUPPORTED there too. A new object: both
  // formats share the configured one.
  esbuildOptions(options, { format }) {
    if (format === 'cjs') options.entryPoints = { ...(options.entryPoints as Record<string, string>), 'langchain/index': 'src/langchain/index.require.ts' };
  },
});
