import { chunkwiseVitestConfig } from '../vitest.shared.js';

export default chunkwiseVitestConfig();
