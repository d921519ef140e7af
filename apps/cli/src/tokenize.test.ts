import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get_encoding } from 'tiktoken';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;

const chunkwise = (args: string[], input?: string) => runChunkwise(args, input === undefined ? { cwd: dir } : { cwd: dir, input });

const TEXT = 'Call me Ishmael. 🐋 <|endoftext|> naïve\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-tokenize-'));
});

describe('chunkwise count and tokenize', () => {
  it('count prints the same number tiktoken gives, for a file and for stdin', async () => {
    const file = join(dir, 'text.txt');
    await writeFile(file, TEXT);
    const expected = get_encoding('cl100k_base').encode_ordinary(TEXT).length;
    const fromFile = await chunkwise(['--json', 'count', file, '--encoding', 'cl100k_base']);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ encoding: 'cl100k_base', tokens: expected, characters: TEXT.length });
    const fromStdin = await chunkwise(['count', '-'], TEXT);
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toContain(`${get_encoding('o200k_base').encode_ordinary(TEXT).length} tokens (o200k_base)`);
  });

  it('tokenize --json --offsets gives tiktoken’s ids and spans that tile the text', async () => {
    const result = await chunkwise(['--json', 'tokenize', '-', '--offsets'], TEXT);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { ids: number[]; offsets: [number, number][]; count: number };
    expect(output.ids).toEqual(Array.from(get_encoding('o200k_base').encode_ordinary(TEXT)));
    expect(output.count).toBe(output.ids.length);
    expect(output.offsets.map(([start, end]) => TEXT.slice(start, end)).join('')).toBe(TEXT);
    const special = JSON.parse((await chunkwise(['--json', 'tokenize', '-', '--allow-special'], TEXT)).stdout) as { ids: number[] };
    expect(special.ids).toContain(199999);
  });

  it('rejects an unknown encoding with exit 2', async () => {
    const result = await chunkwise(['count', '-', '--encoding', 'o300k'], TEXT);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown tokenizer "o300k"; --tokenizer takes one of');
  });

  it('digest reports tokens per chapter for o200k_base and cl100k_base', async () => {
    const result = await chunkwise(['--json', 'digest']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      stages: { name: string }[];
      tokens: { totals: Record<string, number>; sections: { title: string; o200k_base: number; cl100k_base: number }[] };
    };
    expect(report.stages.map((stage) => stage.name).slice(0, 2)).toEqual(['load', 'tokens']);
    expect(report.tokens.sections).toHaveLength(139);
    const first = report.tokens.sections[0]!;
    expect(first.o200k_base).toBeGreaterThan(0);
    expect(report.tokens.totals.o200k_base).toBeGreaterThan(250_000);
    expect(report.tokens.totals.cl100k_base).toBeGreaterThan(report.tokens.totals.o200k_base!);
  });
});
