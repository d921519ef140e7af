import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const withoutPackages = fileURLToPath(new URL('../../../tooling/scripts/without-packages.mjs', import.meta.url));

/**
 * Runs `body` in a fresh Node process on the TypeScript sources, with the `hidden` packages
 * uninstalled, and returns what it printed: `{ exports }` from the module `m` it loaded, or the
 * error it threw.
 */
async function probe(kind: 'import' | 'require', body: string, hidden: string[]): Promise<unknown> {
  const script = `try { ${body}; console.log(JSON.stringify({ exports: Object.keys(m).sort() })) } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })) }`;
  const flags = ['--conditions=@chunkwise/source', '--import', 'tsx', '--import', withoutPackages, ...(kind === 'import' ? ['--input-type=module'] : [])];
  const { stdout } = await run(process.execPath, [...flags, '-e', script], { cwd: root, env: { ...process.env, CHUNKWISE_WITHOUT_PACKAGES: hidden.join(',') } });
  return JSON.parse(stdout.trim());
}

const importLangChain = "const m = await import('@chunkwise/chunking/langchain')";
// The CommonJS build is made from langchain.require.ts (tsup.config.ts).
const requireLangChain = "const m = require('./src/langchain.require.ts')";
const langchainUnsupported = {
  name: 'ChunkwiseError',
  code: 'UNSUPPORTED',
  message: '@chunkwise/chunking/langchain needs the optional peer dependencies @langchain/core and @langchain/textsplitters: npm install @langchain/core@1 @langchain/textsplitters@1',
};

describe('@chunkwise/chunking/langchain without its optional peers', () => {
  for (const [kind, body] of [
    ['import', importLangChain],
    ['require', requireLangChain],
  ] as const) {
    it(`${kind}: UNSUPPORTED with the install command when @langchain/textsplitters is missing`, async () => {
      expect(await probe(kind, body, ['@langchain/textsplitters'])).toEqual(langchainUnsupported);
    });

    it(`${kind}: the same when @langchain/core is missing`, async () => {
      expect(await probe(kind, body, ['@langchain/core'])).toEqual(langchainUnsupported);
    });

    it(`${kind}: with both installed, the splitter loads`, async () => {
      expect(await probe(kind, body, [])).toEqual({ exports: ['ChunkwiseTextSplitter'] });
    });
  }
});

describe('syntax-aware code chunking without its optional peers', () => {
  const parse = "const { loadCodeParser } = await import('@chunkwise/chunking'); const m = await loadCodeParser('python')";

  it('UNSUPPORTED with the install command when web-tree-sitter is missing', async () => {
    expect(await probe('import', parse, ['web-tree-sitter'])).toEqual({
      name: 'ChunkwiseError',
      code: 'UNSUPPORTED',
      message: 'Syntax-aware code chunking (CodeChunker, loadCodeParser) needs the optional peer dependency web-tree-sitter: npm install web-tree-sitter@0.25',
    });
  });

  it('UNSUPPORTED with the install command when tree-sitter-wasms (the grammars) is missing', async () => {
    expect(await probe('import', parse, ['tree-sitter-wasms'])).toEqual({
      name: 'ChunkwiseError',
      code: 'UNSUPPORTED',
      message: 'The python grammar comes from the optional peer dependency tree-sitter-wasms: npm install tree-sitter-wasms@0.1 (or pass the .wasm as `grammar`).',
    });
  });
});
