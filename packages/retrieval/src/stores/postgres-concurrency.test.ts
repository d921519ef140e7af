import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRecords, expectSingleWriterScores } from '../__fixtures__/postgres-exactness.js';
import { writerBatch } from '../__fixtures__/postgres-writer-batch.js';
import { sotuPassages } from '../__fixtures__/sotu-passages.js';
import { PostgresStore, type PgQueryable } from './postgres-store.js';
import type { StoreRecord } from './store.js';

const runId = `cwc_${process.pid}_${Date.now().toString(36)}`;
let tables = 0;
const passages = sotuPassages().slice(2000, 2600);

/**
 * 41 operations at once on ONE store over ONE connection (Promise.all): 20 upserts, 10 deletes and
 * 11 searches. Each must succeed as if run alone, and the statistics must stay exact.
 */
async function fortyOneAtOnce(store: PostgresStore): Promise<void> {
  const seed = passages.slice(0, 100).map((p): StoreRecord => ({ id: p.id, text: p.text }));
  await store.upsert(seed);
  const results = await Promise.allSettled([
    ...Array.from({ length: 20 }, (_, i) => store.upsert(passages.slice(100 + i * 5, 105 + i * 5).map((p) => ({ id: p.id, text: p.text })))),
    ...Array.from({ length: 10 }, (_, i) => store.delete([seed[i * 3]?.id as string])),
    ...Array.from({ length: 11 }, (_, i) => store.searchText(passages[i * 9]?.sentences[0] ?? 'union', { k: 5 })),
  ]);
  expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
  expect(await store.count()).toBe(100 + 100 - 10);
  await expectSingleWriterScores(store);
}

describe('PostgresStore concurrency on PGlite (one connection)', () => {
  let db: PGlite | undefined;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('runs 41 concurrent operations on one store: calls queue on the connection instead of failing', async () => {
    await fortyOneAtOnce(await PostgresStore.open(db as PGlite, { table: `t${tables++}` }));
  });
});

const url = process.env.CHUNKWISE_PG_URL;

describe.runIf(url !== undefined || process.env.CI !== undefined)('PostgresStore with concurrent writers on a real PostgreSQL server', () => {
  const connectionString = url ?? 'postgres://chunkwise:chunkwise@127.0.0.1:5440/chunkwise';
  const clients: pg.Client[] = [];
  const children: ChildProcess[] = [];
  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString });
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    await (await connect()).query(`CREATE SCHEMA ${runId}`);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await clients[0]?.query(`DROP SCHEMA IF EXISTS ${runId} CASCADE`);
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  });
  const newTable = () => `${runId}.t${tables++}`;

  it('counts ids two connections upsert at once as new only once (each transaction saw them as new)', async () => {
    const table = newTable();
    const records = passages.slice(0, 300).map((p): StoreRecord => ({ id: p.id, text: p.text }));
    const a = await connect();
    const b = await connect();
    // Connection A holds its first INSERT until B's transaction has committed (or 3 s have passed,
    // should B be waiting on A): both transactions then started when none of the ids existed.
    let bCommitted!: () => void;
    const bDone = new Promise<void>((resolve) => (bCommitted = resolve));
    let held = false;
    const gatedA: PgQueryable = {
      async query(text, params) {
        if (!held && /^\s*INSERT INTO/.test(text)) {
          held = true;
          await Promise.race([bDone, new Promise((resolve) => setTimeout(resolve, 3000))]);
        }
        return a.query(text, params as unknown[]);
      },
    };
    const trackedB: PgQueryable = {
      async query(text, params) {
        const result = await b.query(text, params as unknown[]);
        if (/^\s*COMMIT/.test(text)) bCommitted();
        return result;
      },
    };
    const storeA = await PostgresStore.open(gatedA, { table });
    const storeB = await PostgresStore.open(trackedB, { table });
    held = false;
    await Promise.all([storeA.upsert(records), storeB.upsert(records)]);
    expect(await storeA.count()).toBe(300);
    await expectSingleWriterScores(storeA);
    await expectSingleWriterScores(storeB);
  });

  it('runs 41 concurrent operations on one store over one connection', async () => {
    await fortyOneAtOnce(await PostgresStore.open(await connect(), { table: newTable() }));
  });

  it('keeps statistics exact under any interleaving of upserts and deletes from four connections (property)', async () => {
    const pool = await Promise.all(Array.from({ length: 4 }, () => connect()));
    const texts = passages.slice(300, 600).map((p) => p.text);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('upsert' as const), ids: fc.uniqueArray(fc.integer({ min: 0, max: 39 }), { minLength: 1, maxLength: 12 }), text: fc.nat(texts.length - 1) }),
      fc.record({ kind: fc.constant('delete' as const), ids: fc.uniqueArray(fc.integer({ min: 0, max: 39 }), { minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('replace' as const), source: fc.integer({ min: 0, max: 3 }), size: fc.integer({ min: 0, max: 6 }), text: fc.nat(texts.length - 1) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 8 }), { minLength: 4, maxLength: 4 }), async (scripts) => {
        const table = newTable();
        const stores = await Promise.all(pool.map((client) => PostgresStore.open(client, { table })));
        await Promise.all(
          scripts.map(async (script, w) => {
            const store = stores[w] as PostgresStore;
            for (const step of script) {
              if (step.kind === 'upsert') {
                await store.upsert(step.ids.map((id, i) => ({ id: `r${id}`, text: texts[(step.text + i) % texts.length] as string })));
              } else if (step.kind === 'delete') {
                // Another writer may have deleted them first: NOT_FOUND is the right answer then.
                await store.delete(step.ids.map((id) => `r${id}`)).catch((error: { code?: string }) => {
                  if (error.code !== 'NOT_FOUND') throw error;
                });
              } else {
                const source = `doc${step.source}`;
                await store.replaceSource(source, Array.from({ length: step.size }, (_, i) => ({ id: `${source}#${i}`, text: texts[(step.text + i * 31) % texts.length] as string, meta: { source } })));
              }
            }
          }),
        );
        await expectSingleWriterScores(stores[0] as PostgresStore);
      }),
      { numRuns: 12 },
    );
  });

  it('serves concurrent calls in parallel from a pg.Pool, each on its own client', async () => {
    const pool = new pg.Pool({ connectionString, max: 4 });
    pool.on('error', () => {});
    try {
      const store = await PostgresStore.open(pool, { table: newTable() });
      await fortyOneAtOnce(store);
      expect(pool.totalCount).toBeGreaterThan(1);
    } finally {
      await pool.end();
    }
  });

  it('lets two writers replace the same source at once: the second finds the first one’s records unchanged', async () => {
    const table = newTable();
    const [a, b] = [await PostgresStore.open(await connect(), { table }), await PostgresStore.open(await connect(), { table })];
    const records = passages.slice(0, 40).map((p, i): StoreRecord => ({ id: `doc#${i}`, text: p.text, meta: { source: 'doc' } }));
    const results = await Promise.all([a.replaceSource('doc', records), b.replaceSource('doc', records)]);
    expect(results.map((r) => [r.added, r.unchanged]).sort()).toEqual([
      [0, 40],
      [40, 0],
    ]);
    await expectSingleWriterScores(a);
  });

  it('folds the appended statistics deltas into the base row as writers go, without changing a score', async () => {
    const table = newTable();
    const client = await connect();
    const stores = [await PostgresStore.open(client, { table }), await PostgresStore.open(await connect(), { table })];
    await Promise.all(stores.map((store, w) => (async () => {
      for (let i = 0; i < 70; i++) await store.upsert([{ id: `w${w}-${i % 50}`, text: passages[i * 3 + w]?.text as string }]);
    })()));
    const { rows } = await client.query<{ deltas: number; documents: number }>(`SELECT (SELECT count(*)::int FROM ${table}_bm25_delta) AS deltas, documents::int FROM ${table}_bm25`);
    expect(rows[0]?.deltas).toBeLessThan(140);
    expect(rows[0]?.documents).toBeGreaterThan(0);
    await expectSingleWriterScores(stores[1] as PostgresStore);
  });

  it('recounts the statistics of a table written before the delta table existed (they may have been wrong)', async () => {
    const table = newTable();
    const client = await connect();
    const store = await PostgresStore.open(client, { table });
    await store.upsert(passages.slice(0, 50).map((p) => ({ id: p.id, text: p.text })));
    // What the old code could leave behind: N counted twice, and no delta table.
    await client.query(`DROP TABLE ${table}_bm25_delta`);
    await client.query(`UPDATE ${table}_bm25 SET documents = 100`);
    const reopened = await PostgresStore.open(client, { table });
    await expectSingleWriterScores(reopened);
  });

  const writer = fileURLToPath(new URL('../__fixtures__/postgres-writer.ts', import.meta.url));
  const startWriter = (table: string, name: string, batches: number, stallAt = -1) => {
    const child = spawn(process.execPath, ['--conditions=@chunkwise/source', '--import', 'tsx', writer, connectionString, table, name, String(batches), String(stallAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (piece: string) => (out += piece));
    child.stderr.setEncoding('utf8').on('data', (piece: string) => (err += piece));
    const said = (line: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (out.split('\n').includes(line)) resolve();
          else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`${name} exited before "${line}": ${err}`));
          else setTimeout(check, 20);
        };
        check();
      });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    return { child, said, exited, stderr: () => err };
  };

  it('three writer processes at once, one killed mid-batch: no partial batch, statistics exact', async () => {
    const table = newTable();
    const first = await connect();
    // The first open creates the tables; the writers race to open them (and must not fail).
    const writers = [startWriter(table, 'ahab', 8), startWriter(table, 'stubb', 8), startWriter(table, 'flask', 8, 4)];
    await (writers[2] as ReturnType<typeof startWriter>).said('mid 4');
    (writers[2] as ReturnType<typeof startWriter>).child.kill('SIGKILL');
    for (const w of writers.slice(0, 2)) expect([await w.exited, w.stderr()]).toEqual([0, '']);
    const store = await PostgresStore.open(first, { table });
    const records = await allRecords(store);
    const ids = new Set(records.map((r) => r.id));
    // flask's batches 0–3 committed; batch 4 was cut off inside its transaction: none of it stays.
    for (let n = 0; n < 4; n++) for (const r of writerBatch('flask', n).slice(20)) expect(ids.has(r.id)).toBe(!/-(0|10|20)$/.test(r.id));
    expect(records.filter((r) => r.meta?.writer === 'flask' && r.meta.batch === 4)).toEqual([]);
    for (const name of ['ahab', 'stubb']) expect(records.filter((r) => r.meta?.writer === name && r.id.startsWith(name)).length).toBe(8 * 27);
    expect(records.length).toBe(20 + 2 * 8 * 27 + 4 * 27);
    await expectSingleWriterScores(store, {}, ['whale line', 'ahabmark7 shared', 'flaskmark3 own harpoon', 'stubbmark0', 'captain oil boat crew', 'union congress sea']);
  });
});
