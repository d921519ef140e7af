import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError, type GenerateRequest, type ProgressEvent } from '@chunkwise/core';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { answer, answerStream } from './answer.js';
import type { AnswerMethod, AnswerPassage, AnswerResult, AnswerStreamPart } from './answer-types.js';
import type { SummaryCache } from './summary-cache.js';
import { citedAnswer, FakeModel, StreamingFakeModel, worstBudgetUse, type FakeModelOptions } from './__fixtures__/fake-model.js';
import { mobyDick } from './__fixtures__/datasets.js';

const book = mobyDick();
const chapters: AnswerPassage[] = book.chapters.map((chapter, i) => ({ id: `ch${i}`, text: book.text.slice(chapter.start, chapter.end), docId: 'moby-dick.txt', start: chapter.start }));
/** Eight mid-sized passages: the first 1,200 characters of chapters 10–17. */
const PASSAGES: AnswerPassage[] = chapters.slice(10, 18).map((passage) => ({ ...passage, text: passage.text.slice(0, 1200) }));
const LLM_METHODS: Exclude<AnswerMethod, 'extractive'>[] = ['compact', 'refine', 'tree'];

/** A fake model that answers every answer prompt as a model following the citation format would. */
function citingModel(options: Partial<FakeModelOptions> = {}) {
  return new FakeModel({ contextWindow: 8192, tokenizer: o200k_base, respond: (request) => ({ text: citedAnswer(request.prompt) }), ...options });
}

function expectCheckable(result: AnswerResult, passages: readonly AnswerPassage[]) {
  const byId = new Map(passages.map((passage) => [passage.id, passage]));
  result.citations.forEach((citation, k) => {
    expect(citation.marker).toBe(k + 1);
    const passage = byId.get(citation.sourceId)!;
    expect(citation.text).toBe(passage.text.slice(citation.start, citation.end));
    if (passage.start !== undefined) expect(book.text.slice(citation.documentStart, citation.documentEnd)).toBe(citation.text);
  });
  const markers = new Set([...result.text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])));
  expect([...markers].sort((a, b) => a - b)).toEqual(result.citations.map((citation) => citation.marker));
}

function mapCache(): SummaryCache & { store: Map<string, string> } {
  const store = new Map<string, string>();
  return { store, get: (key) => store.get(key), set: (key, value) => void store.set(key, value) };
}

describe('answer with a model', () => {
  it('compact: every passage in one prompt, one call, citations renumbered in order of use and resolved', async () => {
    const model = citingModel();
    const result = await answer('What do the passages say?', PASSAGES, { method: 'compact', model, targetWords: 120 });
    expect(model.calls).toBe(1);
    expect(result).toMatchObject({ method: 'compact', calls: 1, answered: true, repairs: [] });
    for (let n = 1; n <= 8; n++) expect(model.requests[0]!.prompt).toContain(`[${n}] `);
    expectCheckable(result, PASSAGES);
    // The model cited [1]…[n] in order, so the markers keep their numbers and point at passages 1…n.
    result.citations.forEach((citation, k) => expect(citation.sourceId).toBe(PASSAGES[k]!.id));
    // Each citation is the sentence of its passage that the cited answer sentence draws on.
    expect(result.citations[0]!.text.length).toBeLessThan(PASSAGES[0]!.text.length);
  });

  it('compact falls back to refine over groups of passages when they do not fit one prompt, and says so', async () => {
    const model = citingModel({ contextWindow: 2048 });
    const result = await answer('What do the passages say?', PASSAGES, { method: 'compact', model, targetWords: 60 });
    expect(result.method).toBe('refine');
    expect(result.repairs).toContainEqual({ kind: 'fallback', from: 'compact', to: 'refine' });
    expect(model.calls).toBeGreaterThan(1);
    expect(model.calls).toBeLessThan(PASSAGES.length);
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
    expectCheckable(result, PASSAGES);
  });

  it('refine: one call per passage, each refining the previous answer', async () => {
    const model = citingModel();
    const result = await answer('What do the passages say?', PASSAGES, { method: 'refine', model, targetWords: 200 });
    expect(model.calls).toBe(PASSAGES.length);
    expect(model.requests[1]!.prompt).toContain('An existing answer');
    expect(model.requests[1]!.prompt).toContain(citedAnswer(model.requests[0]!.prompt));
    expectCheckable(result, PASSAGES);
  });

  it('tree: an answer per group that fits, concurrently, then merges level by level', async () => {
    const events: ProgressEvent[] = [];
    const model = citingModel({ contextWindow: 2048, delayMs: 5 });
    const result = await answer('What do the passages say?', chapters.slice(20, 44), { method: 'tree', model, targetWords: 40, onProgress: (event) => events.push(event) });
    const merges = model.requests.filter((request) => request.prompt.includes('Partial answer'));
    expect(merges.length).toBeGreaterThan(0);
    expect(model.calls).toBeGreaterThan(merges.length);
    expect(model.maxInFlight).toBeGreaterThan(1);
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
    expect(events.some((event) => event.stage === 'answer')).toBe(true);
    expectCheckable(result, chapters);
  });

  it('never sends a prompt over contextWindow − maxTokens, for any window, method, target and passage size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LLM_METHODS),
        fc.integer({ min: 1024, max: 6000 }),
        fc.integer({ min: 10, max: 300 }),
        fc.integer({ min: 200, max: 40_000 }),
        fc.boolean(),
        async (method, contextWindow, targetWords, chars, ownTokenizer) => {
          const model = new FakeModel({ contextWindow, ...(ownTokenizer ? { tokenizer: o200k_base } : {}), respond: (request) => ({ text: citedAnswer(request.prompt) }) });
          const passages = chapters.slice(30, 36).map((passage) => ({ ...passage, text: passage.text.slice(0, chars) }));
          try {
            const result = await answer('What happens to the crew?', passages, { method, model, targetWords });
            expectCheckable(result, chapters);
          } catch (error) {
            // A window too small for the target is refused up front, before any call.
            expect(isChunkwiseError(error, 'INVALID_ARGUMENT')).toBe(true);
            expect(model.calls).toBe(0);
            return;
          }
          expect(worstBudgetUse(model, o200k_base, ownTokenizer ? 1 : 1.25)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('reads passages each over the window in pieces that keep their number, and reports the split', async () => {
    const model = citingModel({ contextWindow: 2048 });
    const long = [...chapters].sort((a, b) => b.text.length - a.text.length).slice(0, 3);
    const result = await answer('What happens?', long, { method: 'refine', model, targetWords: 50 });
    for (const passage of long) expect(result.repairs).toContainEqual({ kind: 'split', sourceId: passage.id, pieces: expect.any(Number) });
    expect(model.calls).toBeGreaterThan(long.length);
    expect(worstBudgetUse(model, o200k_base)).toBeLessThanOrEqual(1);
    expectCheckable(result, long);
  });

  it('removes a citation of passage 9 of 3 and reports it; the text cites only what exists', async () => {
    const model = citingModel({ script: [{ text: 'Ishmael goes to sea [1]. Ahab lost his leg [9]. The whale is white [3][9].' }] });
    const result = await answer('What happens?', PASSAGES.slice(0, 3), { method: 'compact', model });
    expect(result.text).toBe('Ishmael goes to sea [1]. Ahab lost his leg. The whale is white [2].');
    expect(result.repairs).toContainEqual({ kind: 'unknown-marker', marker: 9 });
    expect(result.citations.map((citation) => citation.sourceId)).toEqual([PASSAGES[0]!.id, PASSAGES[2]!.id]);
    expectCheckable(result, PASSAGES);
  });

  it('cites, sentence by sentence, an answer from a model that ignored the citation format', async () => {
    const passages = [
      { id: 'a', text: 'The Pequod sailed from Nantucket on a cold Christmas day.' },
      { id: 'b', text: 'Queequeg carried a harpoon and an embalmed head into the inn.' },
    ];
    const model = citingModel({ script: [{ text: 'Queequeg came to the inn with his harpoon and a head. The Pequod left Nantucket at Christmas. Everyone loved pie.' }] });
    const result = await answer('What happens?', passages, { method: 'compact', model });
    expect(result.text).toBe('Queequeg came to the inn with his harpoon and a head [1]. The Pequod left Nantucket at Christmas [2]. Everyone loved pie.');
    expect(result.repairs).toEqual([
      { kind: 'attributed', sentences: 2 },
      { kind: 'unsupported', sentences: 1 },
    ]);
    expect(result.citations.map((citation) => [citation.marker, citation.sourceId])).toEqual([
      [1, 'b'],
      [2, 'a'],
    ]);
  });

  it('retries an answer cut at max_tokens, and cuts it back to its last complete sentence when every try is cut', async () => {
    const cut = { text: 'Ishmael went to sea [1]. Ahab hunted the whale [2]. The ship', finishReason: 'length' };
    const model = citingModel({ script: [cut, cut, cut] });
    const result = await answer('What happens?', PASSAGES.slice(0, 3), { method: 'compact', model, maxRetries: 2 });
    expect(model.calls).toBe(3);
    expect(model.requests[1]!.prompt).toContain('stopped in the middle of a sentence');
    expect(result.text).toBe('Ishmael went to sea [1]. Ahab hunted the whale [2].');
    expect(result.repairs).toContainEqual({ kind: 'truncated' });
    expectCheckable(result, PASSAGES);
  });

  it('retries an answer over the word limit with a correction', async () => {
    const long = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} is about the whale [1].`).join(' ');
    const model = citingModel({ script: [{ text: long }] });
    const result = await answer('What happens?', PASSAGES.slice(0, 2), { method: 'compact', model, targetWords: 40 });
    expect(model.requests[1]!.prompt).toMatch(/Your previous answer had \d+ words, which is too long\. Write it again in at most 40 words/);
    expect(result.retries).toBe(1);
    expect(result.words).toBeLessThanOrEqual(48);
  });

  it('a rerun with the cache makes no call and returns the same answer', async () => {
    const cache = mapCache();
    const first = await answer('What do the passages say?', chapters.slice(20, 34), { method: 'tree', model: citingModel({ contextWindow: 2048 }), targetWords: 40, cache });
    const rerunModel = citingModel({ contextWindow: 2048 });
    const second = await answer('What do the passages say?', chapters.slice(20, 34), { method: 'tree', model: rerunModel, targetWords: 40, cache });
    expect(rerunModel.calls).toBe(0);
    expect(second).toMatchObject({ text: first.text, citations: first.citations, calls: 0, cacheHits: first.calls });
  });

  it('stops with ABORTED when the signal fires mid-run, with nothing left in flight', async () => {
    const controller = new AbortController();
    const model = citingModel({ contextWindow: 2048, delayMs: 20, onRequest: (_r, call) => call === 2 && controller.abort() });
    await expect(answer('What happens?', chapters.slice(20, 40), { method: 'tree', model, targetWords: 40, signal: controller.signal })).rejects.toSatisfy((error) =>
      isChunkwiseError(error, 'ABORTED'),
    );
    expect(model.inFlight).toBe(0);
  });

  it('a model error fails the run with that error, and a result without text is UPSTREAM', async () => {
    await expect(answer('What happens?', PASSAGES, { method: 'compact', model: citingModel({ script: ['fail'] }) })).rejects.toThrow('scripted failure');
    const broken = { contextWindow: 4096, tokenizer: o200k_base, generate: async () => ({ text: undefined }) as never };
    await expect(answer('What happens?', PASSAGES, { method: 'compact', model: broken })).rejects.toSatisfy((error) => isChunkwiseError(error, 'UPSTREAM'));
  });

  it('refuses a question too long for the window, before any call', async () => {
    const model = citingModel({ contextWindow: 1024 });
    await expect(answer('Why? '.repeat(600), PASSAGES, { method: 'refine', model })).rejects.toSatisfy(
      (error) => isChunkwiseError(error, 'INVALID_ARGUMENT') && /question/.test((error as Error).message),
    );
    expect(model.calls).toBe(0);
  });
});

describe('answerStream', () => {
  async function collect(stream: AsyncIterable<AnswerStreamPart>) {
    const texts: string[] = [];
    let result: AnswerResult | undefined;
    for await (const part of stream) {
      if (part.type === 'text') texts.push(part.text);
      else result = part.result;
    }
    return { texts, result: result! };
  }

  it('yields the text as the model writes it, markers renumbered on the fly, then the checked citations', async () => {
    const model = new StreamingFakeModel({ contextWindow: 8192, tokenizer: o200k_base, script: [{ text: 'Ishmael goes to sea [3]. Ahab hunts [1][9]. The end [3].' }] }, 5);
    const { texts, result } = await collect(answerStream('What happens?', PASSAGES.slice(0, 3), { method: 'compact', model }));
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.join('')).toBe('Ishmael goes to sea [1]. Ahab hunts [2]. The end [1].');
    expect(result.text).toBe(texts.join(''));
    expect(result.citations.map((citation) => citation.sourceId)).toEqual([PASSAGES[2]!.id, PASSAGES[0]!.id]);
    expect(result.repairs).toContainEqual({ kind: 'unknown-marker', marker: 9 });
  });

  it('streams only the last call of refine and tree', async () => {
    const model = new StreamingFakeModel({ contextWindow: 8192, tokenizer: o200k_base, respond: (request: GenerateRequest) => ({ text: citedAnswer(request.prompt) }) }, 4);
    const { texts, result } = await collect(answerStream('What do the passages say?', PASSAGES, { method: 'refine', model, targetWords: 200 }));
    expect(model.calls).toBe(PASSAGES.length);
    expect(texts.join('')).toBe(result.text);
    expect(model.pieces).toBe(Math.ceil(citedAnswer(model.requests.at(-1)!.prompt).length / 4));
    expectCheckable(result, PASSAGES);
  });

  it('falls back to generate for a model without generateStream: one text part', async () => {
    const model = citingModel();
    const { texts, result } = await collect(answerStream('What do the passages say?', PASSAGES, { method: 'compact', model }));
    expect(texts).toEqual([result.text]);
  });

  it('reports a cut stream as truncated and ends the result at the last complete sentence', async () => {
    const model = new StreamingFakeModel({ contextWindow: 8192, tokenizer: o200k_base, script: [{ text: 'Ishmael goes to sea [1]. Ahab hunts the', finishReason: 'length' }] });
    const { texts, result } = await collect(answerStream('What happens?', PASSAGES.slice(0, 2), { method: 'compact', model }));
    expect(texts.join('')).toBe('Ishmael goes to sea [1]. Ahab hunts the');
    expect(result.text).toBe('Ishmael goes to sea [1].');
    expect(result.repairs).toContainEqual({ kind: 'truncated' });
  });

  it('aborts the model stream when the consumer stops reading', async () => {
    let signal: AbortSignal | undefined;
    const model = new StreamingFakeModel(
      { contextWindow: 8192, tokenizer: o200k_base, respond: (request: GenerateRequest) => ((signal = request.signal), { text: citedAnswer(request.prompt) }) },
      4,
      20,
    );
    for await (const part of answerStream('What do the passages say?', PASSAGES, { method: 'compact', model })) {
      expect(part.type).toBe('text');
      break;
    }
    expect(signal?.aborted).toBe(true);
    const pieces = model.pieces;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(model.pieces).toBe(pieces);
  });

  it('fails on the first read with INVALID_ARGUMENT for bad input', async () => {
    await expect(collect(answerStream('', PASSAGES))).rejects.toSatisfy((error) => isChunkwiseError(error, 'INVALID_ARGUMENT'));
  });
});
