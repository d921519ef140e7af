import { chunkwiseTsupConfig } from '../../tooling/tsup.shared.js';

export default chunkwiseTsupConfig({
  entry: { index: 'src/index.ts', langchain: 'src/langchain.ts' },
  requireEntries: { langchain: 'src/langchain.require.ts' },
  // code-grammars resolves tree-sitter-wasms from this file's location: import.meta.url in CJS too.
  shims: true,
});
