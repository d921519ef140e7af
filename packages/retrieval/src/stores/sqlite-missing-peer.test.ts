import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const withoutPackages = fileURLToPath(new URL('../../../../tooling/scripts/without-packages.mjs', import.meta.url));

/** Loads @chunkwise/retrieval/sqlite in a fresh Node process on the sources, with `hidden` uninstalled. */
async function load(kind: 'import' | 'require', hidden: string[]): Promise<unknown> {
  const body = kind === 'import' ? "const m = await import('@chunkwise/retrieval/sqlite')" : "const m = require('@chunkwise/retrieval/sqlite')";
  const script = `try { ${body}; console.log(JSON.stringify({ exports: Object.keys(m).sort() })) } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })) }`;
  const flags = ['--conditions=@chunkwise/source', '--import', 'tsx', '--import', withoutPackages, ...(kind === 'import' ? ['--input-type=module'] : [])];
  const { stdout } = await run(process.execPath, [...flags, '-e', script], { cwd: root, env: { ...process.env, CHUNKWISE_WITHOUT_PACKAGES: hidden.join(',') } });
  return JSON.parse(stdout.trim());
}

describe('@chunkwise/retrieval/sqlite without its optional peer better-sqlite3', () => {
  for (const kind of ['import', 'require'] as const) {
    it(`${kind}: UNSUPPORTED with the install command, not ERR_MODULE_NOT_FOUND`, async () => {
      expect(await load(kind, ['better-sqlite3'])).toEqual({
        name: 'ChunkwiseError',
        code: 'UNSUPPORTED',
        message: '@chunkwise/retrieval/sqlite needs the optional peer dependency better-sqlite3: npm install better-sqlite3@12',
      });
    });

    it(`${kind}: with the peer installed, the store loads`, async () => {
      expect(await load(kind, [])).toEqual({ exports: ['SqliteStore', 'recoverSqliteStore', 'verifySqliteStore'] });
    });
  }
});
