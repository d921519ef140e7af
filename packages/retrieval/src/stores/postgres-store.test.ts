import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeContract } from '../__fixtures__/store-contract.js';
import { PostgresStore } from './postgres-store.js';

// PGlite 0.4.x ships pgvector, so it runs both the full-text and the vector tests. Debian 12's
// PostgreSQL 15 has no pgvector package: the real server runs the full-text tests only.
const runId = `cw_${process.pid}_${Date.now().toString(36)}`;
let tables = 0;

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
  storeContract(
    'PostgresStore/PostgreSQL',
    async () => {
      await connect();
      return PostgresStore.open(client, { table: `${runId}.t${tables++}` });
    },
    { vectors: false },
  );
});
