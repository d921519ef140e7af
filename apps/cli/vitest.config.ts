import { chunkwiseVitestConfig } from '../../tooling/vitest.shared.js';

// Every CLI test starts the command as a child process (about 2 s each from source, far more on a
// loaded 2-core CI machine), and several run a handful in sequence.
export default chunkwiseVitestConfig({ testTimeout: 120_000 });
