import { chunkwiseVitestConfig } from '../../tooling/vitest.shared.js';

const config = chunkwiseVitestConfig();

// Vitest passes ssr.resolve.conditions to the worker as Node `--conditions`. The shared list
// includes 'import', which makes Node's own require() pick pg-pool's ESM build inside pg (CJS),
// and `pg` then fails with "Class extends value [object Module]". Keep only what Node needs.
export default {
  ...config,
  ssr: { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions: ['@chunkwise/source', 'node', 'development|production'] } },
};
