import { chunkwiseVitestConfig } from '../../tooling/vitest.shared.js';

export default chunkwiseVitestConfig({ setupFiles: ['./src/__fixtures__/fast-check-seed.ts'] });
