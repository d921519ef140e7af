import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker threads of `index --workers` load dist/ingest-thread.js beside dist/main.js.
  entry: { main: 'src/main.ts', 'ingest-thread': 'src/ingest/ingest-thread.ts' },
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
});
