import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAICompatible } from '@chunkwise/providers';
import { mockChatStream, startMockOpenAIServer, type MockOpenAIServer, type MockRequest, type MockResponse } from '@chunkwise/providers/testing';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { answer, answerStream } from './answer.js';
import type { AnswerResult } from './answer-types.js';
import { citedAnswer } from './__fixtures__/fake-model.js';
import { mobyDick } from './__fixtures__/datasets.js';

/**
 * Answers end to end over HTTP: `openAICompatible` against the loopback OpenAI-compatible server,
 * which answers each prompt as a model following the citation format would (citing passage 9 too,
 * when told), as one JSON body or, for `stream: true`, as server-sent events word by word.
 */
interface ChatBody {
  messages: { role: string; content: string }[];
  stream?: boolean;
}

let server: MockOpenAIServer;
let extra = '';

function respond(request: MockRequest): MockResponse {
  const body = request.body as ChatBody;
  const content = citedAnswer(body.messages.at(-1)!.content) + extra;
  if (body.stream) return mockChatStream(content, 'stop');
  return { body: { choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] } };
}

beforeAll(async () => {
  server = await startMockOpenAIServer({ respond });
});
afterAll(async () => {
  await server.close();
});

const book = mobyDick();
const passages = book.chapters.slice(30, 36).map((chapter, i) => ({ id: `ch${30 + i}`, text: book.text.slice(chapter.start, chapter.start + 1500), docId: 'moby-dick.txt', start: chapter.start }));
const model = () => openAICompatible({ baseURL: server.baseURL, model: 'mock', contextWindow: 8192, tokenizer: o200k_base });

function expectCheckable(result: AnswerResult) {
  for (const citation of result.citations) expect(book.text.slice(citation.documentStart, citation.documentEnd)).toBe(citation.text);
  const markers = new Set([...result.text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])));
  expect(markers.size).toBe(result.citations.length);
}

describe('answer over HTTP (loopback OpenAI-compatible server)', () => {
  it('compact: one request, citations to exact spans of the book', async () => {
    server.reset();
    extra = ' The crew mutinied [9].';
    const result = await answer('What happens in these chapters?', passages, { method: 'compact', model: model(), targetWords: 150 });
    extra = '';
    expect(server.requests).toHaveLength(1);
    expect(result.text).not.toContain('[9]');
    expect(result.repairs).toContainEqual({ kind: 'unknown-marker', marker: 9 });
    expect(result.citations.length).toBeGreaterThan(2);
    expectCheckable(result);
  });

  it('answerStream reads server-sent events as they arrive and ends with the checked citations', async () => {
    server.reset();
    const texts: string[] = [];
    let result: AnswerResult | undefined;
    for await (const part of answerStream('What happens in these chapters?', passages, { method: 'compact', model: model(), targetWords: 150 })) {
      if (part.type === 'text') texts.push(part.text);
      else result = part.result;
    }
    expect((server.requests[0]!.body as ChatBody).stream).toBe(true);
    expect(texts.length).toBeGreaterThan(10);
    expect(texts.join('')).toBe(result!.text);
    expectCheckable(result!);
  });
});
