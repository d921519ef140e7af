import { defineConfig, type Options } from 'tsup';
import { chunkwiseTsupOptions } from '../../tooling/tsup.shared.js';

const ENCODINGS = ['r50k_base', 'p50k_base', 'p50k_edit', 'cl100k_base', 'o200k_base', 'o200k_harmony'];
const TABLES = ['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'];

/**
 * Ships every rank table once: each is built a single time, as a CommonJS module
 * (`dist/generated/<table>.cjs`), and both builds import that file, never inline it. CommonJS
 * `require`s it; ESM imports its named export (esbuild marks it for Node's CJS export detection,
 * and bundlers convert CommonJS), so a bundler still emits one lazy chunk per table and
 * `index.*` carries none.
 */
const externalData: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'chunkwise-external-rank-data',
  setup(build) {
    const extension = build.initialOptions.format === 'cjs' ? 'cjs' : 'js';
    build.onResolve({ filter: /\/generated\/\w+\.js$/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const name = /\/generated\/(\w+)\.js$/.exec(args.path)![1]!;
      return { path: `./generated/${name}.cjs`, external: true };
    });
    // getEncoding's dynamic imports must load the subpath entries themselves, so that
    // `await getEncoding('o200k_base')` is the very instance `@chunkwise/tokenizers/o200k_base`
    // exports (one rank table in memory), in CommonJS as in ESM.
    if (extension === 'cjs') {
      build.onResolve({ filter: new RegExp(`^\\./(${ENCODINGS.join('|')})\\.js$`) }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        return { path: args.path.replace(/\.js$/, '.cjs'), external: true };
      });
    }
  },
};

const code: Options = {
  ...chunkwiseTsupOptions,
  entry: {
    index: 'src/index.ts',
    ...Object.fromEntries(ENCODINGS.map((name) => [name, `src/${name}.ts`])),
  },
  // No build cleans dist: the two configs run in parallel, and other workspace builds and
  // benchmarks read this dist while it is rebuilt. Entry names are stable; a rebuild may leave an
  // old hashed chunk behind, which nothing imports (release builds start from a fresh clone).
  clean: false,
  esbuildPlugins: [externalData],
};

const data: Options = {
  entry: Object.fromEntries(TABLES.map((name) => [`generated/${name}`, `src/generated/${name}.ts`])),
  format: ['cjs'],
  target: 'es2022',
  // Base64 payloads: nothing to map back to.
  sourcemap: false,
};

export default defineConfig([data, code]);
