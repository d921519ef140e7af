import { chunkwiseTsupConfig } from '../../tooling/tsup.shared.js';

export default chunkwiseTsupConfig({
  // One entry per subpath export; peers (ai, @huggingface/transformers, @langchain/core) stay external.
  // `testing` and `static/node` are Node-only and never reached from the default entry.
  entry: [
    'src/index.ts',
    'src/ai-sdk/index.ts',
    'src/transformers/index.ts',
    'src/testing/index.ts',
    'src/static/index.ts',
    'src/static/node/index.ts',
    'src/langchain/index.ts',
  ],
  // static/node resolves the wink vectors from this file's location: import.meta.url in CJS too.
  shims: true,
});
