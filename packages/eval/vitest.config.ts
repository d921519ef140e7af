import { chunkwiseVitestConfig } from '../../tooling/vitest.shared.js';

export default chunkwiseVitestConfig();
