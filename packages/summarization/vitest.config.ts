import { chunkwiseVitestConfig } from '../../tooling/vitest.shared.js';

// No test here mutates module state, so files share a worker's module cache: the o200k ranks and
// the datasets load once per worker instead of once per file.
export default chunkwiseVitestConfig({ isolate: false });
