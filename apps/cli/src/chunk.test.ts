import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
// The providers package's tiny transformers.js model (a real ONNX graph written at test time).
import { writeTinyTransformersModel as writeTinyModel } from '@chunkwise/providers/testing';

let dir: string;

const chunkwise = (args: string[], input?: string) => runChunkwise(args, input === undefined ? { cwd: dir } : { cwd: dir, input });

const TEXT = `# Loomings\n\n${'Call me Ishmael. Some years ago, never mind how long precisely, I thought I would sail about a little. '.repeat(30)}\n\n## Next\n\nWhenever I find myself growing grim about the mouth, 日本語の文です。 😀\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-chunk-'));
});

describe('chunkwise chunk', () => {
  it('writes one JSON chunk per line with exact offsets and counts under the limit', async () => {
    const file = join(dir, 'book.md');
    await writeFile(file, TEXT);
    const result = await chunkwise(['chunk', file, '--strategy', 'markdown', '--max-tokens', '64', '--overlap', '8', '--jsonl']);
    expect(result.code).toBe(0);
    const chunks = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { text: string; start: number; end: number; tokenCount: number; meta?: { headings: string[] } });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(TEXT.slice(chunk.start, chunk.end)).toBe(chunk.text);
      expect(chunk.tokenCount).toBe(o200k_base.count(chunk.text));
      expect(chunk.tokenCount).toBeLessThanOrEqual(64);
    }
    expect(chunks.at(-1)?.meta?.headings).toEqual(['Loomings', 'Next']);
  });

  it('reads stdin and reports a size histogram as JSON', async () => {
    const result = await chunkwise(['--json', 'chunk', '-', '--strategy', 'token', '--max-tokens', '100'], TEXT);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { summary: { count: number; histogram: { count: number }[] }; chunks: unknown[] };
    expect(report.summary.count).toBe(report.chunks.length);
    expect(report.summary.histogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(report.chunks.length);
  });

  it('exits 2 on a bad strategy and 1 when overlap is not below max-tokens', async () => {
    const usage = await chunkwise(['chunk', '-', '--strategy', 'magic'], 'x');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--strategy must be one of');
    const invalid = await chunkwise(['chunk', '-', '--max-tokens', '10', '--overlap', '10'], 'x');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('[INVALID_ARGUMENT]');
  });

  it('chunks code with the grammar its file name implies, functions whole', async () => {
    // No blank line between the two: by lines alone, the class header would join the function.
    const code = ['export function add(a: number, b: number): number {', '  return a + b;', '}', 'export class Whale {', '  dive(depth: number): string {', '    return `diving ${depth}`;', '  }', '}', ''].join('\n');
    const file = join(dir, 'whale.ts');
    await writeFile(file, code);
    const result = await chunkwise(['chunk', file, '--strategy', 'code', '--tokenizer', 'characters', '--max-tokens', '100', '--jsonl']);
    expect(result.code).toBe(0);
    const chunks = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { text: string; start: number; end: number });
    expect(chunks.map((chunk) => chunk.text)).toEqual([code.slice(0, code.indexOf('export class')), code.slice(code.indexOf('export class'))]);
    const python = await chunkwise(['--json', 'chunk', '-', '--strategy', 'code', '--language', 'py', '--max-tokens', '12'], 'def a():\n    return 1\n\n\ndef b():\n    return 2\n');
    expect(python.code).toBe(0);
    expect((JSON.parse(python.stdout) as { chunks: { text: string }[] }).chunks.map((chunk) => chunk.text)).toEqual(['def a():\n    return 1\n\n\n', 'def b():\n    return 2\n']);
  });

  it('runs semantic chunking with a local transformers.js model folder (--embedder transformers:DIR, or the older --embedding-model DIR)', async () => {
    const model = writeTinyModel(join(dir, 'tiny-model'));
    const text = 'Call me Ishmael. The whale is white. The sea is wide. '.repeat(12);
    const result = await chunkwise(['chunk', '-', '--strategy', 'semantic', '--embedder', `transformers:${model}`, '--max-tokens', '40', '--jsonl'], text);
    expect(result.code).toBe(0);
    const older = await chunkwise(['chunk', '-', '--strategy', 'semantic', '--embedding-model', model, '--max-tokens', '40', '--jsonl'], text);
    expect(older.code).toBe(0);
    expect(older.stdout).toBe(result.stdout);
    const chunks = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { text: string; start: number; end: number; tokenCount: number });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
      expect(chunk.tokenCount).toBeLessThanOrEqual(40);
    }
  });

  it('explains why semantic needs --embedder and why late cannot run from the command line', async () => {
    const semantic = await chunkwise(['chunk', '-', '--strategy', 'semantic'], 'x');
    expect(semantic.code).toBe(2);
    expect(semantic.stderr).toContain('pass --embedder glove');
    const unknown = await chunkwise(['chunk', '-', '--strategy', 'semantic', '--embedder', 'word2vec'], 'x');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--embedder takes glove, static:DIR, transformers:DIR or openai:MODEL, got "word2vec"');
    const late = await chunkwise(['chunk', '-', '--strategy', 'late'], 'x');
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('token-level');
    expect((await chunkwise(['chunk', '-', '--language', 'py'], 'x')).code).toBe(2);
  });

  it('adds a chunks stage to the digest, with a histogram in the report', async () => {
    const result = await chunkwise(['--json', 'digest', '-'], TEXT);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { stages: { name: string }[]; chunks: { count: number; maxTokens: number; histogram: unknown[] } };
    expect(report.stages.map((stage) => stage.name)).toContain('chunks');
    expect(report.chunks.count).toBeGreaterThan(0);
    expect(report.chunks.histogram).toHaveLength(8);
  });
});
