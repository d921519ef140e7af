import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from './index.js';
import { isChunkwiseError } from './index.js';

/**
 * Every public entry point answers bad input with a ChunkwiseError (INVALID_ARGUMENT) or a valid
 * result, never a plain TypeError, a crash or a hang. Each export is called with values of the
 * wrong type in every argument position, the others valid.
 */
const wrong = fc.oneof(
  fc.constantFrom(undefined, null, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, true, '', 'x', [], {}, [1, 2], () => 1, Symbol('s'), 10n),
  // Values that throw when a message tries to print them.
  fc.constantFrom({ toString: {} }, Object.create(null) as object, { valueOf: () => Symbol('v'), toString: () => ({}) }),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
);

type Call = (a: unknown, b: unknown, c: unknown) => unknown;

const peer = { feature: 'a test', packages: ['left-pad'] };
const entries: { name: string; call: Call; valid: [unknown, unknown, unknown] }[] = [
  { name: 'ChunkwiseError', call: (a, b, c) => new core.ChunkwiseError(a as never, b as string, c as never), valid: ['INVALID_ARGUMENT', 'message', { details: { x: 1 } }] },
  { name: 'isChunkwiseError', call: (a, b) => core.isChunkwiseError(a, b as never), valid: [new core.ChunkwiseError('NOT_FOUND', 'x'), 'NOT_FOUND', undefined] },
  { name: 'throwIfAborted', call: (a) => core.throwIfAborted(a as never), valid: [new AbortController().signal, undefined, undefined] },
  {
    name: 'createProgress',
    call: (a, b, c) => {
      const progress = core.createProgress(a as never, b as string, c as never);
      progress.advance();
      progress.update(3);
      progress.finish();
    },
    valid: [() => {}, 'stage', { total: 10, unit: 'items', throttleMs: 0 }],
  },
  { name: 'hashKey', call: (a) => core.hashKey(a), valid: [{ text: 'Call me Ishmael.' }, undefined, undefined] },
  { name: 'canonicalEncode', call: (a) => core.canonicalEncode(a), valid: [[1, 'two', null], undefined, undefined] },
  { name: 'toHex', call: (a) => core.toHex(a as Uint8Array), valid: [new Uint8Array([1, 255]), undefined, undefined] },
  { name: 'seededRandom', call: (a) => core.seededRandom(a as number)(), valid: [42, undefined, undefined] },
  { name: 'requireOptionalPeer', call: (a, b) => core.requireOptionalPeer(a as never, b as never), valid: [peer, () => 1, undefined] },
  { name: 'importOptionalPeer', call: (a, b) => core.importOptionalPeer(a as never, b as never), valid: [peer, () => Promise.resolve(1), undefined] },
];

async function outcome(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('every export answers wrong types with a ChunkwiseError', () => {
  it('covers every function the package exports', () => {
    const functions = Object.entries(core)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name)
      .sort();
    expect(functions).toEqual(entries.map((entry) => entry.name).sort());
  });

  it.each(entries)('$name: valid call succeeds', async ({ call, valid }) => {
    expect(await outcome(() => call(...valid))).toBeUndefined();
  });

  it.each(entries)('$name: any wrong value in any argument is INVALID_ARGUMENT or a valid result (property)', async ({ call, valid }) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 }), wrong, async (position, value) => {
        const args: [unknown, unknown, unknown] = [...valid];
        args[position] = value;
        const error = await outcome(() => call(...args));
        if (error !== undefined) expect(isChunkwiseError(error, 'INVALID_ARGUMENT'), `${position}: ${show(error)}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('createProgress: a wrong value in any option is INVALID_ARGUMENT or a valid result (property)', async () => {
    const createProgress = entries.find((entry) => entry.name === 'createProgress')!;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('total', 'unit', 'throttleMs'), wrong, async (key, value) => {
        const error = await outcome(() => createProgress.call(() => {}, 'stage', { [key]: value }));
        if (error !== undefined) expect(isChunkwiseError(error, 'INVALID_ARGUMENT'), `${key}: ${show(error)}`).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

function show(error: unknown): string {
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
