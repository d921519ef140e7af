import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAIServer, type MockOpenAIServer } from '@chunkwise/providers/testing';
import { addLlmOptions, DEFAULT_CONTEXT_WINDOW, languageModelFromOptions, type LlmFlags } from './llm-options.js';
import { UsageError } from './errors.js';

let server: MockOpenAIServer;
beforeAll(async () => {
  server = await startMockOpenAIServer();
});
afterAll(async () => {
  await server.close();
});

function parse(argv: string[]): LlmFlags {
  const command = addLlmOptions(new Command('x').exitOverride());
  command.parse(argv, { from: 'user' });
  return command.opts<LlmFlags>();
}

describe('languageModelFromOptions', () => {
  it('returns undefined when nothing is configured', () => {
    expect(languageModelFromOptions(parse([]), {})).toBeUndefined();
  });

  it('builds a model from flags that answers through the server', async () => {
    const model = languageModelFromOptions(parse(['--llm', server.baseURL, '--model', 'm', '--context-window', '2048']), {});
    expect(model?.contextWindow).toBe(2048);
    const answer = await model!.generate({ prompt: 'answer in 2 words' });
    expect(answer.text).toBe('answer in.');
    expect((server.requests.at(-1)!.body as { model: string }).model).toBe('m');
  });

  it('reads the environment, with the API key only from there, and lets flags win', async () => {
    const env = {
      CHUNKWISE_LLM_URL: server.baseURL,
      CHUNKWISE_LLM_MODEL: 'env-model',
      CHUNKWISE_LLM_CONTEXT_WINDOW: '1000',
      CHUNKWISE_LLM_API_KEY: 'sk-env',
    };
    const model = languageModelFromOptions(parse(['--model', 'flag-model']), env);
    expect(model?.contextWindow).toBe(1000);
    await model!.generate({ prompt: 'x' });
    const request = server.requests.at(-1)!;
    expect((request.body as { model: string }).model).toBe('flag-model');
    expect(request.headers.authorization).toBe('Bearer sk-env');
  });

  it(`assumes a ${DEFAULT_CONTEXT_WINDOW}-token window when none is given`, () => {
    expect(languageModelFromOptions({}, { CHUNKWISE_LLM_URL: server.baseURL, CHUNKWISE_LLM_MODEL: 'm' })?.contextWindow).toBe(DEFAULT_CONTEXT_WINDOW);
  });

  it.each([
    ['a model without a URL', ['--model', 'm'], {}],
    ['a URL without a model', ['--llm', 'http://127.0.0.1:1/v1'], {}],
    ['a bad context window', ['--llm', 'http://127.0.0.1:1/v1', '--model', 'm', '--context-window', '8k'], {}],
    ['a malformed URL', ['--llm', 'localhost:11434', '--model', 'm'], {}],
  ])('rejects %s as a usage error', (_label, argv, env) => {
    expect(() => languageModelFromOptions(parse(argv), env)).toThrow(UsageError);
  });
});
