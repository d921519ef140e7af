import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const withoutPackages = fileURLToPath(new URL('../../../../tooling/scripts/without-packages.mjs', import.meta.url));

/** Loads the subpath in a fresh Node process (ESM import, or require of the CommonJS entry) and prints what came back. */
async function load(kind: 'import' | 'require', blocked: boolean): Promise<string> {
  const report = `console.log(JSON.stringify({ exports: Object.keys(m).sort() }))`;
  const fail = `console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message }))`;
  const script =
    kind === 'import'
      ? `try { const m = await import('@chunkwise/retrieval/langchain'); ${report} } catch (e) { ${fail} }`
      : `try { const m = require('./src/langchain/index.require.ts'); ${report} } catch (e) { ${fail} }`;
  const flags = ['--conditions=@chunkwise/source', '--import', 'tsx', '--import', withoutPackages, ...(kind === 'import' ? ['--input-type=module'] : [])];
  const env = { ...process.env, CHUNKWISE_WITHOUT_PACKAGES: blocked ? '@langchain/core' : '' };
  const { stdout } = await run(process.execPath, [...flags, '-e', script], { cwd: root, env });
  return stdout.trim();
}

describe('@chunkwise/retrieval/langchain without its optional peer @langchain/core', () => {
  for (const kind of ['import', 'require'] as const) {
    it(`${kind}: UNSUPPORTED with the install command, not ERR_MODULE_NOT_FOUND`, async () => {
      expect(JSON.parse(await load(kind, true))).toEqual({
        name: 'ChunkwiseError',
        code: 'UNSUPPORTED',
        message: '@chunkwise/retrieval/langchain needs the optional peer dependency @langchain/core: npm install @langchain/core@1',
      });
    });

    it(`${kind}: with the peer installed, the bridges load`, async () => {
      expect(JSON.parse(await load(kind, false))).toEqual({ exports: ['ChunkwiseRetriever', 'ChunkwiseVectorStore', 'NESTED_METADATA_KEY', 'RETRIEVER_MODES'] });
    });
  }
});
