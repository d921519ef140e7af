import { chunkwiseTsupConfig } from '../../tooling/tsup.shared.js';

export default chunkwiseTsupConfig({
  // One entry per subpath export; peers (ai, @huggingface/transformers, @langchain/core) stay external.
  // `testing` and `static/node` are Node-only and never reached from the default entry.
  entry: {
    index: 'src/index.ts',
    'ai-sdk/index': 'src/ai-sdk/index.ts',
    'transformers/index': 'src/transformers/index.ts',
    'testing/index': 'src/testing/index.ts',
    'static/index': 'src/static/index.ts',
    'static/node/index': 'src/static/node/index.ts',
    'langchain/index': 'src/langchain/index.ts',
  },
  // The peers' subpaths load them with a top-level await import(); their CommonJS builds require them.
  requireEntries: { 'ai-sdk/index': 'src/ai-sdk/index.require.ts', 'langchain/index': 'src/langchain/index.require.ts' },
  // static/node resolves the wink vectors from this file's location: import.meta.url in CJS too.
  shims: true,
});
