// Shared tsup settings for every published package (beside the shared Vitest config): ESM and
// CommonJS with declarations for each, source maps, ES2022. A package's tsup.config.ts names its
// entries and whatever is its own (externals, shims, plugins).
import type { Options } from 'tsup';

export const chunkwiseTsupOptions = {
  format: ['esm', 'cjs'],
  // tsup injects baseUrl, which TypeScript 6 deprecates (egoist/tsup#1388). Declarations resolve
  // siblings through their built types, not the source condition, so nothing gets inlined.
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
} satisfies Options;

/** The house settings with a package's own on top (entries at least). */
export function chunkwiseTsupConfig(options: Options): Options {
  return { ...chunkwiseTsupOptions, ...options };
}
