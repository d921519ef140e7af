import { chunkwiseVitestConfig } from '../../tooling/vitest.shared.js';

// The end-to-end test builds the page and starts Chromium in its hooks: room for a busy 2-core machine.
export default chunkwiseVitestConfig({ hookTimeout: 120_000, include: ['src/**/*.test.ts', 'vite-plugins/**/*.test.ts', 'e2e/**/*.test.ts'] });
