// The same harness as @chunkwise/attention's src/__fixtures__/fuzz-exports.ts (test fixtures are not
// shared across packages).
import fc from 'fast-check';
import { isChunkwiseError } from '@chunkwise/core';

/**
 * Wrong values an export must answer with a result or a coded `ChunkwiseError`: wrong types,
 * wrong typed arrays, negative, fractional, non-finite and huge sizes.
 */
export const WRONG_VALUES: readonly [string, () => unknown][] = [
  ['null', () => null],
  ['undefined', () => undefined],
  ['NaN', () => Number.NaN],
  ['-1', () => -1],
  ['-Infinity', () => Number.NEGATIVE_INFINITY],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['0', () => 0],
  ['1.5', () => 1.5],
  ['2^31', () => 2 ** 31],
  ['2^53', () => 2 ** 53],
  ['1e308', () => 1e308],
  ["'3'", () => '3'],
  ['true', () => true],
  ['{}', () => ({})],
  ['[]', () => []],
  ['[NaN, -1, 2^40]', () => [Number.NaN, -1, 2 ** 40]],
  ['a symbol', () => Symbol('wrong')],
  ['3n', () => 3n],
  ['a function', () => () => 1],
  ['Float64Array(8)', () => new Float64Array(8)],
  ['Int32Array(8)', () => new Int32Array(8)],
  ['Uint8Array(8)', () => new Uint8Array(8)],
  ['Float32Array(0)', () => new Float32Array(0)],
  ['Float32Array(3) of NaN', () => new Float32Array(3).fill(Number.NaN)],
];

export interface FuzzTarget {
  name: string;
  /** Valid arguments; each wrong value replaces one argument, or one field of an object argument. */
  args: () => unknown[];
  call: (...args: unknown[]) => unknown;
  /** Argument paths (`"0"`, `"2.window"`) and wrong-value labels to leave out (e.g. `undefined` for an expensive default). */
  skip?: (path: string, label: string) => boolean;
  /** Releases what a successful call created (a worker pool). */
  cleanup?: (result: unknown) => unknown;
}

/** How one call ended, or why it is a failure. */
async function outcome(target: FuzzTarget, args: unknown[]): Promise<string | undefined> {
  try {
    let result = target.call(...args);
    if (result && typeof (result as { then?: unknown }).then === 'function') {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 20 s (hang)')), 20_000);
      });
      try {
        result = await Promise.race([result, hang]);
      } finally {
        clearTimeout(timer);
      }
    }
    await target.cleanup?.(result);
    return undefined;
  } catch (error) {
    if (isChunkwiseError(error) && typeof error.code === 'string' && error.code.length > 0) return undefined;
    const name = error instanceof Error ? error.constructor.name : typeof error;
    return `${name}: ${error instanceof Error ? error.message : safeString(error)}`;
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

/** Every way of replacing one argument, or one field (two levels deep) of an object argument. */
function* substitutions(args: unknown[]): Generator<[string, (wrong: unknown) => unknown[]]> {
  for (let i = 0; i < args.length; i++) {
    yield [String(i), (wrong) => args.map((arg, j) => (j === i ? wrong : arg))];
    const arg = args[i];
    if (!isPlainObject(arg)) continue;
    for (const key of Object.keys(arg)) {
      yield [`${i}.${key}`, (wrong) => args.map((a, j) => (j === i ? { ...arg, [key]: wrong } : a))];
      const inner = arg[key];
      if (!isPlainObject(inner)) continue;
      for (const innerKey of Object.keys(inner)) {
        yield [`${i}.${key}.${innerKey}`, (wrong) => args.map((a, j) => (j === i ? { ...arg, [key]: { ...inner, [innerKey]: wrong } } : a))];
      }
    }
  }
}

/**
 * Calls `target` with every single wrong value in every argument position and object field, then
 * with random argument lists (fast-check `anything`). Returns the calls that threw anything but a
 * coded `ChunkwiseError` (or hung, for promises); a valid call must succeed first.
 */
export async function fuzzTarget(target: FuzzTarget, randomRuns = 40): Promise<string[]> {
  const failures: string[] = [];
  const valid = await outcome(target, target.args());
  if (valid) return [`${target.name} with valid arguments: ${valid}`];
  for (const [path, replace] of substitutions(target.args())) {
    for (const [label, make] of WRONG_VALUES) {
      if (target.skip?.(path, label)) continue;
      const failure = await outcome(target, replace(make()));
      if (failure) failures.push(`${target.name}, argument ${path} = ${label}: ${failure}`);
    }
  }
  await fc.assert(
    fc.asyncProperty(fc.array(fc.anything({ maxDepth: 2 }), { maxLength: target.args().length + 1 }), async (args) => {
      if (target.skip?.('random', '')) return;
      const failure = await outcome(target, args);
      // One example per kind of error is enough to find the cause.
      if (failure && !failures.some((known) => known.endsWith(failure))) failures.push(`${target.name}, random arguments ${fc.stringify(args).slice(0, 300)}: ${failure}`);
    }),
    { numRuns: randomRuns, seed: 7 },
  );
  return failures;
}
