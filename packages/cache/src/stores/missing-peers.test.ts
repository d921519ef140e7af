import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const withoutPackages = fileURLToPath(new URL('../../../../tooling/scripts/without-packages.mjs', import.meta.url));

/** Loads `specifier` in a fresh Node process on the sources, with `hidden` uninstalled, and reports its exports or its error. */
async function load(kind: 'import' | 'require', specifier: string, hidden: string[]): Promise<unknown> {
  const body = kind === 'import' ? `const m = await import('${specifier}')` : `const m = require('${specifier}')`;
  const script = `try { ${body}; console.log(JSON.stringify({ exports: Object.keys(m).sort() })) } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })) }`;
  const flags = ['--conditions=@chunkwise/source', '--import', 'tsx', '--import', withoutPackages, ...(kind === 'import' ? ['--input-type=module'] : [])];
  const { stdout } = await run(process.execPath, [...flags, '-e', script], { cwd: root, env: { ...process.env, CHUNKWISE_WITHOUT_PACKAGES: hidden.join(',') } });
  return JSON.parse(stdout.trim());
}

const stores = [
  { subpath: '@chunkwise/cache/sqlite', peer: 'better-sqlite3', install: 'better-sqlite3@12', exports: ['sqliteStore'] },
  { subpath: '@chunkwise/cache/redis', peer: 'ioredis', install: 'ioredis', exports: ['redisStore'] },
];

for (const { subpath, peer, install, exports } of stores) {
  describe(`${subpath} without its optional peer ${peer}`, () => {
    for (const kind of ['import', 'require'] as const) {
      it(`${kind}: UNSUPPORTED with the install command, not ERR_MODULE_NOT_FOUND`, async () => {
        expect(await load(kind, subpath, [peer])).toEqual({
          name: 'ChunkwiseError',
          code: 'UNSUPPORTED',
          message: `${subpath} needs the optional peer dependency ${peer}: npm install ${install}`,
        });
      });

      it(`${kind}: with the peer installed, the store loads`, async () => {
        expect(await load(kind, subpath, [])).toEqual({ exports });
      });
    }
  });
}
