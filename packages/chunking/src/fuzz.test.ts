import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import * as chunking from './index.js';
import { ChunkwiseTextSplitter } from './langchain.js';
import { HashingEmbedder } from './__fixtures__/test-embedder.js';
import { ContextualTestEmbedder } from './__fixtures__/test-token-embedder.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';

/** Values of the wrong type (or range) for any parameter. */
const WRONG: unknown[] = [
  undefined, null, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e300, '', 'x', true, {}, [], [1, 'a'], () => 1, Symbol('s'), 10n,
  new Date(0), { length: -1 }, Object.create(null), { maxTokens: 'many' }, { tokenizer: 42, maxTokens: 8 }, new Uint8Array(2), Promise.resolve(1),
];

const tokenizer = new OffsetByteTripletTokenizer();
const text = 'Call me Ishmael. Some years ago I went to sea.\n\n# Heading\n\nMore text here.';
const base = { tokenizer, maxTokens: 8 };

/** Every public export that takes arguments, with valid arguments to vary one at a time. */
const CALLS: Record<string, { args: unknown[]; call: (...args: unknown[]) => unknown }> = {
  'new TokenChunker': { args: [base], call: (o) => new chunking.TokenChunker(o as never) },
  'new RecursiveChunker': { args: [{ ...base, recipe: 'markdown' }], call: (o) => new chunking.RecursiveChunker(o as never) },
  'new SentenceChunker': { args: [base], call: (o) => new chunking.SentenceChunker(o as never) },
  'new MarkdownChunker': { args: [base], call: (o) => new chunking.MarkdownChunker(o as never) },
  'new CodeChunker': { args: [base], call: (o) => new chunking.CodeChunker(o as never) },
  'new SemanticChunker': { args: [{ ...base, embedder: new HashingEmbedder() }], call: (o) => new chunking.SemanticChunker(o as never) },
  'new LateChunker': { args: [{ ...base, embedder: new ContextualTestEmbedder(64) }], call: (o) => new chunking.LateChunker(o as never) },
  'new OptimalChunker': { args: [base], call: (o) => new chunking.OptimalChunker(o as never) },
  'new PerplexityChunker': { args: [base], call: (o) => new chunking.PerplexityChunker(o as never) },
  'chunker.chunk': { args: [text, {}], call: (t, o) => new chunking.RecursiveChunker(base).chunk(t as never, o as never) },
  'chunker.chunkWindow': { args: [text, 0, undefined, {}], call: (t, f, p, o) => new chunking.TokenChunker(base).chunkWindow(t as never, f as never, p as never, o as never) },
  'chunker.chunkStream': {
    args: [['Call me ', 'Ishmael.'], {}],
    call: async (s, o) => {
      for await (const chunk of new chunking.SentenceChunker(base).chunkStream(s as never, o as never)) expect(chunk.text).toMatch(/\S/u);
    },
  },
  chunkStream: {
    args: [new chunking.TokenChunker(base), ['a b ', 'c'], {}],
    call: async (c, s, o) => {
      for await (const chunk of chunking.chunkStream(c as never, s as never, o as never)) expect(chunk.end).toBeGreaterThan(chunk.start);
    },
  },
  'OptimalChunker.segment': { args: [text, {}], call: (t, o) => new chunking.OptimalChunker(base).segment(t as never, o as never) },
  'PerplexityChunker.sentenceScores': {
    args: [text, [{ start: 0, end: 16 }], {}],
    call: (t, s, o) => new chunking.PerplexityChunker(base).sentenceScores(t as never, s as never, o as never),
  },
  createChunker: { args: ['recursive', base], call: (s, o) => chunking.createChunker(s as never, o as never) },
  summarizeChunks: { args: [[{ text: 'a', start: 0, end: 1, index: 0, tokenCount: 1 }], 8, 4], call: (c, m, b) => chunking.summarizeChunks(c as never, m as never, b as never) },
  splitSentences: { args: [text], call: (t) => chunking.splitSentences(t as never) },
  sentenceSpans: { args: [text, 0, 10], call: (t, s, e) => chunking.sentenceSpans(t as never, s as never, e as never) },
  scanMarkdownBlocks: { args: [text], call: (t) => chunking.scanMarkdownBlocks(t as never) },
  regexLevel: { args: ['commas', /,/u, 'after'], call: (n, p, s) => chunking.regexLevel(n as never, p as never, s as never).splits(text, 0, text.length) },
  perplexityMinima: { args: [[3, 1, 2], 0], call: (s, t) => chunking.perplexityMinima(s as never, t as never) },
  resolveCodeLanguage: { args: ['ts'], call: (n) => chunking.resolveCodeLanguage(n as never) },
  codeLanguageForFile: { args: ['a.py'], call: (n) => chunking.codeLanguageForFile(n as never) },
  loadCodeParser: { args: ['python'], call: (l, g, t) => chunking.loadCodeParser(l as never, g as never, t as never) },
  'plainRecipe.levels': { args: [text], call: (t) => chunking.plainRecipe.levels(t as never) },
  'markdownRecipe.levels': { args: [text], call: (t) => chunking.markdownRecipe.levels(t as never) },
  'new ChunkwiseTextSplitter': { args: [{ chunkSize: 16, chunkOverlap: 4, tokenizer }], call: (o) => new ChunkwiseTextSplitter(o as never) },
  'ChunkwiseTextSplitter.splitText': { args: [text], call: (t) => new ChunkwiseTextSplitter({ chunkSize: 16, tokenizer }).splitText(t as never) },
  'ChunkwiseTextSplitter.createDocuments': {
    args: [[text], [{}], {}],
    call: (t, m, h) => new ChunkwiseTextSplitter({ chunkSize: 16, tokenizer }).createDocuments(t as never, m as never, h as never),
  },
};
for (const level of ['paragraphLevel', 'lineLevel', 'sentenceLevel', 'punctuationSentenceLevel', 'wordLevel'] as const) {
  CALLS[`${level}.splits`] = { args: [text, 0, text.length], call: (t, s, e) => chunking[level].splits(t as never, s as never, e as never) };
}

/** Runs a call to completion within a deadline: it must succeed or throw a ChunkwiseError, never hang. */
async function outcome(run: () => unknown): Promise<'ok' | 'chunkwise' | string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('hung for 5 s'), 5_000)));
  try {
    return await Promise.race([Promise.resolve().then(run).then(() => 'ok' as const), deadline]);
  } catch (error) {
    return isChunkwiseError(error) ? 'chunkwise' : `${(error as Error)?.name ?? typeof error}: ${String((error as Error)?.message ?? error)}`;
  } finally {
    clearTimeout(timer);
  }
}

describe('every public export answers wrong types with a ChunkwiseError', () => {
  it('its valid calls succeed (so a bad value is what each case below changes)', async () => {
    for (const [name, { args, call }] of Object.entries(CALLS)) expect(`${name}: ${await outcome(() => call(...args))}`).toBe(`${name}: ok`);
  });

  it('each argument replaced by a wrong-typed value: ok or ChunkwiseError, never TypeError, RangeError or a hang', async () => {
    const failures: string[] = [];
    for (const [name, { args, call }] of Object.entries(CALLS)) {
      for (let position = 0; position < Math.max(1, args.length); position++) {
        for (const [k, wrong] of WRONG.entries()) {
          const result = await outcome(() => call(...args.map((arg, i) => (i === position ? wrong : arg))));
          if (result !== 'ok' && result !== 'chunkwise') failures.push(`${name} arg ${String(position)} = WRONG[${String(k)}]: ${result}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('each argument replaced by fast-check anything(): the same', async () => {
    const names = Object.keys(CALLS).filter((name) => name !== 'loadCodeParser');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.nat(3), fc.anything({ withBigInt: true, withDate: true, withTypedArray: true, withNullPrototype: true }), async (name, position, value) => {
        const { args, call } = CALLS[name]!;
        const result = await outcome(() => call(...args.map((arg, i) => (i === position % Math.max(1, args.length) ? value : arg))));
        expect(['ok', 'chunkwise']).toContain(result);
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});
