import { chunkwiseTsupConfig } from '../../tooling/tsup.shared.js';

export default chunkwiseTsupConfig({
  entry: ['src/index.ts', 'src/langchain.ts'],
  // code-grammars resolves tree-sitter-wasms from this file's location: import.meta.url in CJS too.
  shims: true,
});
