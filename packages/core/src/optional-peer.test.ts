import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkwiseError } from './errors.js';
import { importOptionalPeer, requireOptionalPeer } from './optional-peer.js';

const require = createRequire(import.meta.url);
const ABSENT = '@chunkwise/no-such-peer';

describe('requireOptionalPeer', () => {
  it('turns a require of an uninstalled package into UNSUPPORTED with the install command', () => {
    const thrown = (() => {
      try {
        return requireOptionalPeer({ feature: '@chunkwise/x/sqlite', packages: [`${ABSENT}@12`] }, () => require(ABSENT) as unknown);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(ChunkwiseError);
    expect(thrown).toMatchObject({
      code: 'UNSUPPORTED',
      message: `@chunkwise/x/sqlite needs the optional peer dependency ${ABSENT}: npm install ${ABSENT}@12`,
      details: { missing: ABSENT, install: `npm install ${ABSENT}@12` },
    });
    expect((thrown as Error).cause).toMatchObject({ code: 'MODULE_NOT_FOUND' });
  });

  it('names every package of a feature that needs several, and spots a missing subpath import', () => {
    expect(() =>
      requireOptionalPeer({ feature: 'ChunkwiseTextSplitter', packages: ['@langchain/core', ABSENT] }, () => require(`${ABSENT}/documents`) as unknown),
    ).toThrow(`ChunkwiseTextSplitter needs the optional peer dependencies @langchain/core and ${ABSENT}: npm install @langchain/core ${ABSENT}`);
  });

  it('returns what the peer exports when it is installed', () => {
    expect(requireOptionalPeer({ feature: 'x', packages: ['fast-check'] }, () => require('fast-check') as typeof fc)).toHaveProperty('integer');
  });

  it("rethrows a missing dependency *of* the peer unchanged, even when the require stack passes through the peer's folder", () => {
    const nested = Object.assign(new Error("Cannot find module 'bindings'\nRequire stack:\n- /app/node_modules/better-sqlite3/lib/database.js"), { code: 'MODULE_NOT_FOUND' });
    expect(() => requireOptionalPeer({ feature: 'x', packages: ['better-sqlite3'] }, () => { throw nested; })).toThrow(nested);
  });

  it('rethrows every other failure unchanged (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (thrown) => {
        const isNotFound = typeof thrown === 'object' && thrown !== null && /better-sqlite3/.test(String((thrown as { message?: unknown }).message));
        fc.pre(!isNotFound);
        try {
          requireOptionalPeer({ feature: 'x', packages: ['better-sqlite3'] }, () => {
            throw thrown;
          });
        } catch (error) {
          return Object.is(error, thrown);
        }
        return false;
      }),
    );
  });
});

describe('importOptionalPeer', () => {
  it('turns a dynamic import of an uninstalled package into UNSUPPORTED with the install command', async () => {
    // A variable specifier, as the callers use, so the test runner does not resolve it ahead of time.
    const specifier = ABSENT;
    await expect(importOptionalPeer({ feature: 'fromAISDK', packages: [ABSENT] }, () => import(/* @vite-ignore */ specifier))).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: `fromAISDK needs the optional peer dependency ${ABSENT}: npm install ${ABSENT}`,
    });
  });

  it('resolves to the module when it is installed', async () => {
    const specifier = 'fast-check';
    expect(await importOptionalPeer({ feature: 'x', packages: ['fast-check'] }, () => import(/* @vite-ignore */ specifier))).toHaveProperty('integer');
  });
});
