import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  // tsup injects baseUrl, which TypeScript 6 deprecates (egoist/tsup#1388). Declarations resolve
  // siblings through their built types, not the source condition, so nothing gets inlined.
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
