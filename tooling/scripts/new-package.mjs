#!/usr/bin/env node
// Scaffolds packages/<name> with the house layout: package.json (source condition first, ESM + CJS),
// tsup, tsconfig, vitest, eslint, README and an empty src/index.ts. Usage:
//   node tooling/scripts/new-package.mjs <name> "<one-line description>"
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description] = process.argv.slice(2);
if (!name || !description || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: node tooling/scripts/new-package.mjs <kebab-name> "<description>"');
  process.exit(2);
}
const dir = join('packages', name);
if (existsSync(dir)) {
  console.error(`${dir} already exists`);
  process.exit(1);
}
mkdirSync(join(dir, 'src'), { recursive: true });

const pkg = {
  name: `@chunkwise/${name}`,
  version: '0.0.0',
  description,
  keywords: ['chunkwise', 'llm', 'long-context', name],
  homepage: `https://github.com/chunkwise/chunkwise/tree/main/packages/${name}#readme`,
  bugs: { url: 'https://github.com/chunkwise/chunkwise/issues' },
  repository: { type: 'git', url: 'git+https://github.com/chunkwise/chunkwise.git', directory: `packages/${name}` },
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  exports: {
    '.': {
      '@chunkwise/source': './src/index.ts',
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.cts',
  files: ['dist', 'src', '!src/**/*.test.ts', '!src/**/__fixtures__', 'README.md', 'CHANGELOG.md', 'LICENSE'],
  engines: { node: '>=20.19' },
  publishConfig: { access: 'public' },
  scripts: {
    build: 'tsup',
    test: 'vitest run',
    lint: 'eslint .',
    typecheck: 'tsc --noEmit',
    'check-exports': 'publint --strict && attw --pack .',
  },
  dependencies: name === 'core' ? {} : { '@chunkwise/core': 'workspace:^' },
  devDependencies: {
    '@arethetypeswrong/cli': 'catalog:',
    '@chunkwise/eslint-config': 'workspace:*',
    '@chunkwise/tsconfig': 'workspace:*',
    '@types/node': 'catalog:',
    eslint: 'catalog:',
    'fast-check': 'catalog:',
    publint: 'catalog:',
    tsup: 'catalog:',
    typescript: 'catalog:',
    vitest: 'catalog:',
  },
};
if (name === 'core') delete pkg.dependencies;

const files = {
  'package.json': JSON.stringify(pkg, null, 2) + '\n',
  'tsup.config.ts': `import { chunkwiseTsupConfig } from '../../tooling/tsup.shared.js';

export default chunkwiseTsupConfig({ entry: ['src/index.ts'] });
`,
  'tsconfig.json': JSON.stringify({ extends: '@chunkwise/tsconfig/library.json', include: ['src'] }, null, 2) + '\n',
  'vitest.config.ts': `import { chunkwiseVitestConfig } from '../../tooling/vitest.shared.js';

export default chunkwiseVitestConfig();
`,
  'eslint.config.js': `export { default } from '@chunkwise/eslint-config';\n`,
  'README.md': `# @chunkwise/${name}\n\n${description}\n\n\`\`\`sh\nnpm install @chunkwise/${name}\n\`\`\`\n`,
  'src/index.ts': '// Nothing is exported yet: this package is filled by its own issue.\nexport {};\n',
};
for (const [file, text] of Object.entries(files)) {
  const target = join(dir, file);
  if (file === 'src/index.ts' && existsSync(target)) continue;
  writeFileSync(target, text);
}
// The MIT license travels in every tarball.
copyFileSync('LICENSE', join(dir, 'LICENSE'));
console.log(`created ${dir}`);
