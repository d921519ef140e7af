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

export interface ChunkwiseTsupOptions extends Options {
  /**
   * Entries whose CommonJS build is made from another file (entry name → file; `entry` must then
   * be an object). A subpath that needs an optional peer loads it with a top-level `await import()`,
   * so a missing peer is `ChunkwiseError('UNSUPPORTED')` and not Node's ERR_MODULE_NOT_FOUND;
   * CommonJS has no top-level await, so its twin `require()`s the peer inside a try instead.
   */
  requireEntries?: Record<string, string>;
}

/** The house settings with a package's own on top (entries at least). */
export function chunkwiseTsupConfig({ requireEntries, ...options }: ChunkwiseTsupOptions): Options {
  const config: Options = { ...chunkwiseTsupOptions, ...options };
  if (requireEntries === undefined) return config;
  const own = options.esbuildOptions;
  return {
    ...config,
    esbuildOptions(esbuild, context) {
      own?.(esbuild, context);
      // A new object: both formats share the configured one.
      if (context.format === 'cjs') esbuild.entryPoints = { ...(esbuild.entryPoints as Record<string, string>), ...requireEntries };
    },
  };
}
