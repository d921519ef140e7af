// Shared Vitest settings: resolve workspace packages to their TypeScript source (the
// `@chunkwise/source` export condition), so tests never wait for a build, and write a JSON report
// that `.ci/run` sums into its `tests: N passed, N failed` line.
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const conditions = ['@chunkwise/source', 'module', 'node', 'import', 'default', 'development|production'];
// Vitest hands ssr.resolve.conditions to its workers as Node `--conditions`, which then apply to
// Node's own require() inside CommonJS dependencies too. 'import' or 'module' there makes a CJS
// package (e.g. `pg` requiring `pg-pool`) load an ESM build and fail, so the worker gets only
// what Node itself understands plus our source condition.
const nodeConditions = ['@chunkwise/source', 'node', 'development|production'];

export function chunkwiseVitestConfig(overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions: nodeConditions, externalConditions: ['@chunkwise/source'] } },
    test: {
      reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
      testTimeout: 30_000,
      ...overrides,
    },
  });
}
