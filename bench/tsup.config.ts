import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/run.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Peers are devDependencies (some native, like better-sqlite3): load them from node_modules, never bundle.
  skipNodeModulesBundle: true,
  // Workspace test data ships as TypeScript source: bundle it.
  noExternal: ['@chunkwise/test-corpora'],
});
