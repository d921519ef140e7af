import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { seededRandom } from '@chunkwise/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sotuPassages, type Passage } from '../__fixtures__/sotu-passages.js';
import { storeContract } from '../__fixtures__/store-contract.js';
import { BM25Index } from '../bm25/bm25-index.js';
import { clusteredVectors } from '../__fixtures__/clustered-vectors.js';
import { VectorIndex } from '../vector/vector-index.js';
import { MemoryStore } from './memory-store.js';
import type { StoreRecord } from './store.js';
import { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';

// PGlite 0.4.x ships pgvector, so it runs both the full-text and the vector tests. Debian 12's
// PostgreSQL 15 has no pgvector package: the real server runs the full-text tests only.
const runId = `cw_${process.pid}_${Date.now().toString(36)}`;
let tables = 0;

/**
 * Exact BM25 in SQL: after adds, replacements and deletions, every hit and score equals BM25Index
 * (and so the memory and SQLite stores) on State of the Union passages, with the simple analyzer
 * and with BM25F fields under the english analyzer, with and without filters.
 */
function bm25Equality(open: (options: PostgresStoreOptions) => Promise<PostgresStore>): void {
  const passages = sotuPassages().slice(8000, 8200);
  const random = seededRandom(5);
  const queries: string[] = [];
  for (let i = 0; i < 14; i++) {
    const p = passages[Math.floor(random() * passages.length)] as Passage;
    const sentence = p.sentences[Math.floor(random() * p.sentences.length)] as string;
    queries.push(i % 2 === 0 ? sentence : sentence.split(' ').slice(0, 3).join(' '));
  }
  queries.push('the the the public', 'zyzzyva congress');
  // Every 25th record has no terms after analysis: it counts in N and avgdl in every store.
  const records = passages.map((p, i): StoreRecord => ({ id: p.id, text: i % 25 === 7 ? '— … —' : p.text, meta: { part: i % 3 } }));
  const variants: [string, PostgresStoreOptions, (r: StoreRecord, i: number) => StoreRecord][] = [
    ['simple analyzer', {}, (r) => r],
    ['english analyzer, BM25F fields', { analyzer: 'english', fields: { context: 0.4, title: 2 }, k1: 1.5, b: 0.6 }, (r, i) => ({ ...r, fields: { context: records[(i + 1) % records.length]?.text as string, ...(i % 4 === 0 && { title: 'The Union' }) } })],
  ];
  for (const [name, options, shape] of variants) {
    it(`ranks exactly as BM25Index and MemoryStore (${name})`, async () => {
      const store = await open(options);
      const memory = new MemoryStore(options);
      const shaped = records.map(shape);
      for (const target of [store, memory]) {
        await target.upsert(shaped.slice(0, 120));
        await target.upsert(shaped.slice(100, 200).map((r, i) => (i % 5 === 0 ? { ...r, text: `${r.text} revised` } : r)));
        await target.delete(shaped.slice(0, 30).map((r) => r.id));
      }
      const index = new BM25Index({ ...options, fields: { text: 1, ...options.fields } });
      for (const id of (await Promise.all(shaped.map((r) => memory.get(r.id)))).filter((r) => r !== undefined)) {
        index.add(id.id, { ...id.fields, text: id.text });
      }
      expect(await store.count()).toBe(index.size);
      for (const query of queries) {
        if (index.analyzeQuery(query).length === 0) {
          // Only stop words under the english analyzer: no hits everywhere.
          expect(await store.searchText(query)).toEqual([]);
          continue;
        }
        const hits = await store.searchText(query, { k: 12 });
        expect(hits).toEqual(index.search(query, { k: 12 }));
        expect(hits).toEqual(await memory.searchText(query, { k: 12 }));
      }
      for (const query of queries.slice(0, 4).filter((q) => index.analyzeQuery(q).length > 0)) {
        expect(await store.searchText(query, { k: 8, filter: { part: 1 } })).toEqual(await memory.searchText(query, { k: 8, filter: { part: 1 } }));
      }
      // Reopening with other fields re-indexes the stored records.
      if (options.fields) {
        const plain = await open({ ...options, fields: {}, table: (store as unknown as { options: { table: string } }).options.table });
        const plainMemory = new MemoryStore({ ...options, fields: {} });
        for (const r of shaped.slice(30)) {
          const back = await memory.get(r.id);
          if (back) await plainMemory.upsert([{ id: back.id, text: back.text, ...(back.meta && { meta: back.meta }) }]);
        }
        expect(await plain.searchText(queries[0] as string, { k: 12 })).toEqual(await plainMemory.searchText(queries[0] as string, { k: 12 }));
      }
    }, 60_000);
  }
}

describe('PostgresStore on PGlite 0.4 (full text + pgvector HNSW)', () => {
  // One PGlite instance (its WASM start-up costs seconds); every test gets its own table.
  let instance: PGlite | undefined;
  const shared = () => instance as PGlite;
  beforeAll(async () => {
    instance = await PGlite.create({ extensions: { vector } });
  });
  afterAll(async () => {
    await instance?.close();
  });
  bm25Equality((options) => PostgresStore.open(shared(), { table: `t${tables++}`, ...options }));
  storeContract(
    'PostgresStore/PGlite',
    async () => {
      return PostgresStore.open(shared(), { dimensions: 3, table: `t${tables++}` });
    },
    { vectors: true },
  );

  it('uses an HNSW index for vector search', async () => {
    const db = shared();
    const store = await PostgresStore.open(db, { dimensions: 3, table: 'chunks', metric: 'l2' });
    const { rows } = await db.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'chunks'");
    expect(rows.map((r) => r.indexdef).join('\n')).toMatch(/USING hnsw \(embedding vector_l2_ops\)/);
    await store.upsert([
      { id: 'a', text: 'alpha', vector: [0, 0, 0] },
      { id: 'b', text: 'beta', vector: [3, 4, 0] },
    ]);
    expect(await store.searchVector([0, 0, 1], { k: 2 })).toEqual([
      { id: 'a', score: -1 },
      { id: 'b', score: -Math.sqrt(26) },
    ]);
  });
});

const url = process.env.CHUNKWISE_PG_URL;
// In CI a missing server must fail loudly, not skip.
describe.runIf(url !== undefined || process.env.CI !== undefined)('PostgresStore on a real PostgreSQL server (full text only: no pgvector in Debian 12)', () => {
  const client = new pg.Client({ connectionString: url ?? 'postgres://chunkwise:chunkwise@127.0.0.1:5440/chunkwise' });
  let connected: Promise<void> | undefined;
  const connect = () => (connected ??= client.connect().then(() => client.query(`CREATE SCHEMA ${runId}`)).then(() => undefined));
  afterAll(async () => {
    if (connected) {
      await client.query(`DROP SCHEMA IF EXISTS ${runId} CASCADE`);
      await client.end();
    }
  });
  bm25Equality(async (options) => {
    await connect();
    return PostgresStore.open(client, { table: `${runId}.t${tables++}`, ...options });
  });
  storeContract(
    'PostgresStore/PostgreSQL',
    async () => {
      await connect();
      return PostgresStore.open(client, { table: `${runId}.t${tables++}` });
    },
    { vectors: false },
  );
  // Without pgvector, vectors go to a real[] column searched by an exact scan in SQL.
  storeContract(
    'PostgresStore/PostgreSQL, vectorType array',
    async () => {
      await connect();
      return PostgresStore.open(client, { table: `${runId}.t${tables++}`, dimensions: 3, vectorType: 'array' });
    },
    { vectors: true },
  );
  it('scores vectors in a real[] column exactly as VectorIndex does, for every metric', async () => {
    await connect();
    const vectors = clusteredVectors(300, 16, 3);
    const queries = clusteredVectors(8, 16, 4);
    for (const metric of ['cosine', 'dot', 'l2'] as const) {
      const store = await PostgresStore.open(client, { table: `${runId}.t${tables++}`, dimensions: 16, vectorType: 'array', metric });
      const index = new VectorIndex({ dimensions: 16, metric });
      await store.upsert(vectors.map((v, i) => ({ id: `v${i}`, text: `vector ${i}`, vector: v, meta: { odd: i % 2 === 1 } })));
      vectors.forEach((v, i) => index.add(`v${i}`, v));
      for (const query of queries) {
        const hits = await store.searchVector(query, { k: 10 });
        const expected = index.search(query, { k: 10 });
        expect(hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
        hits.forEach((h, i) => expect(h.score).toBeCloseTo((expected[i] as { score: number }).score, 4));
      }
      const back = await store.get('v7');
      expect(Array.from(back?.vector ?? [])).toEqual(Array.from(vectors[7] as Float32Array));
    }
  });
});
