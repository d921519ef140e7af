import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per subpath export; peers (ai, @huggingface/transformers) stay external. `testing` is Node-only (node:http) and never reached from the default entry.
  entry: ['src/index.ts', 'src/ai-sdk/index.ts', 'src/transformers/index.ts', 'src/testing/index.ts'],
  format: ['esm', 'cjs'],
  // tsup injects baseUrl, which TypeScript 6 deprecates (egoist/tsup#1388). Declarations resolve
  // siblings through their built types, not the source condition, so nothing gets inlined.
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
