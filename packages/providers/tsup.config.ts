import { defineConfig } from 'tsup';

export default defineConfig({
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
  format: ['esm', 'cjs'],
  // tsup injects baseUrl, which TypeScript 6 deprecates (egoist/tsup#1388). Declarations resolve
  // siblings through their built types, not the source condition, so nothing gets inlined.
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // static/node resolves the wink vectors from this file's location: import.meta.url in CJS too.
  shims: true,
});
