import { defaultClientConditions, defineConfig } from 'vite';
import { datasetAssets } from './vite-plugins/dataset-assets.js';
import { gloveSubset } from './vite-plugins/glove-subset.js';

export default defineConfig({
  // Relative asset paths: dist/ works from any folder or static host.
  base: './',
  // Workspace packages resolve to their TypeScript source, as in tests and typecheck: the page is
  // built from exactly the code under test, with no dependence on the siblings' dist/ being fresh.
  resolve: { conditions: ['@chunkwise/source', ...defaultClientConditions] },
  plugins: [datasetAssets(), gloveSubset()],
  // The compute worker is a module worker, so its rank tables, dense search and answering stay
  // lazily loaded chunks as on the main thread.
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The rank tables of each encoding are one lazily loaded chunk of 1-2 MB by design.
    chunkSizeWarningLimit: 2600,
  },
});
