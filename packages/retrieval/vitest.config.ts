import { chunkwiseVitestConfig } from '../../tooling/vitest.shared.js';

// Generous timeouts: PGlite's WASM start-up and the SOTU fixtures take seconds, many more when the
// shared 2-core machine is busy; no test asserts on time.
const config = chunkwiseVitestConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

// Vitest passes ssr.resolve.conditions to the worker as Node `--conditions`. The shared list
// includes 'import', which makes Node's own require() pick pg-pool's ESM build inside pg (CJS),
// and `pg` then fails with "Class extends value [object Module]". Keep only what Node needs.
export default {
  ...config,
  ssr: { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions: ['@chunkwise/source', 'node', 'development|production'] } },
};
