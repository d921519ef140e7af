import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import * as summarization from './index.js';

/**
 * Issue 14: every public entry point answers bad input with a ChunkwiseError (INVALID_ARGUMENT),
 * never a plain TypeError, a crash, a hang or a silently wrong result. Each export is called with
 * values of the wrong type in every argument position.
 */
const wrong = fc.oneof(
  fc.constantFrom(undefined, null, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, true, '', 'x', [], {}, [1, 2], { start: 'a' }, () => 1, Symbol('s'), 10n),
  // Values that throw when a message tries to print them.
  fc.constantFrom({ toString: {} }, Object.create(null) as object, { valueOf: () => Symbol('v'), toString: () => ({}) }),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
);

type Call = (a: unknown, b: unknown) => unknown;

/** Each export with a valid call, so the fuzz only varies one argument at a time. */
const entries: { name: string; call: Call; valid: [unknown, unknown] }[] = [
  { name: 'summarize', call: (a, b) => summarization.summarize(a as string, b as never), valid: ['The ship sailed at dawn. It came back.', { targetWords: 5 }] },
  { name: 'extractiveSummary', call: (a, b) => summarization.extractiveSummary(a as string, b as never), valid: ['The ship sailed. It came back.', { targetWords: 5 }] },
  { name: 'detectSections', call: (a) => summarization.detectSections(a as string), valid: ['# A\n\ntext', undefined] },
  { name: 'countWords', call: (a) => summarization.countWords(a as string), valid: ['one two', undefined] },
  { name: 'packGroups', call: (a, b) => summarization.packGroups(a as number[], b as number), valid: [[1, 2, 3], 4] },
  { name: 'leadBaseline', call: (a, b) => summarization.leadBaseline(a as string, b as never), valid: ['One. Two.', { sentences: 1 }] },
  { name: 'answer', call: (a, b) => summarization.answer(a as string, b as never), valid: ['Who sailed?', [{ id: 'a', text: 'The ship sailed.' }]] },
  {
    name: 'answerStream',
    call: async (a, b) => {
      for await (const part of summarization.answerStream(a as string, b as never)) void part;
    },
    valid: ['Who sailed?', [{ id: 'a', text: 'The ship sailed.' }]],
  },
  { name: 'suggestQuestions', call: (a, b) => summarization.suggestQuestions(a as string, b as never), valid: ['The ship sailed. Ahab said so. Ahab said no. Ahab said yes.', { count: 1 }] },
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
    const functions = Object.entries(summarization)
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
      fc.asyncProperty(fc.integer({ min: 0, max: 1 }), wrong, async (position, value) => {
        const args: [unknown, unknown] = [...valid];
        args[position] = value;
        const error = await outcome(() => call(...args));
        if (error !== undefined) expect(isChunkwiseError(error, 'INVALID_ARGUMENT'), `${String(error)}`).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  const entry = (name: string) => entries.find((e) => e.name === name)!;
  const optionKeys: [string, Call, [unknown, unknown], string[]][] = [
    ['summarize', entry('summarize').call, entry('summarize').valid, ['method', 'model', 'targetWords', 'tolerance', 'maxRetries', 'chunkTokens', 'maxTokens', 'concurrency', 'mergeContext', 'cache', 'question', 'extractive', 'signal', 'onProgress']],
    ['extractiveSummary', entry('extractiveSummary').call, entry('extractiveSummary').valid, ['targetWords', 'tolerance', 'algorithm', 'lambda', 'positionWeight', 'sections', 'maxGraphSentences', 'question', 'signal']],
    ['answerStream', entry('answerStream').call, entry('answerStream').valid, ['method', 'targetWords', 'cache', 'embedder', 'minRelevance', 'signal', 'onProgress']],
    ['answer', entry('answer').call, entry('answer').valid, ['method', 'model', 'targetWords', 'tolerance', 'maxRetries', 'maxTokens', 'concurrency', 'cache', 'embedder', 'minRelevance', 'minSimilarity', 'lambda', 'signal', 'onProgress']],
    ['suggestQuestions', entry('suggestQuestions').call, entry('suggestQuestions').valid, ['count']],
    ['leadBaseline', entry('leadBaseline').call, entry('leadBaseline').valid, ['sentences', 'targetWords']],
  ];
  it.each(optionKeys)('%s: a wrong value in any option is INVALID_ARGUMENT or a valid result (property)', async (_name, call, valid, keys) => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), wrong, async (key, value) => {
        const options = { ...(valid[1] as object), [key]: value };
        const error = await outcome(() => call(valid[0], options));
        if (error !== undefined) expect(isChunkwiseError(error, 'INVALID_ARGUMENT'), `${key}: ${String(error)}`).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('rouge moved to @chunkwise/eval: undefined input there is a ChunkwiseError too', async () => {
    const { rouge } = await import('@chunkwise/eval');
    expect(() => rouge(undefined as never, 'x')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
