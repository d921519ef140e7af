import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { afterAll, describe, expect, it } from 'vitest';
import { sotuPassages } from '../__fixtures__/sotu-passages.js';
import { MemoryStore } from './memory-store.js';
import { migrateStore } from './migrate-store.js';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store, StoredRecord } from './store.js';

const dir = mkdtempSync(join(tmpdir(), 'chunkwise-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const passages = sotuPassages().slice(2000, 2600);
const records = passages.map((p, i) => ({ id: p.id, text: p.text, meta: { source: p.address, index: i }, vector: [Math.sin(i), Math.cos(i), 1] }));

async function all(store: Store): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  for await (const record of store.records()) out.push(record);
  return out;
}

describe('migrateStore', () => {
  it('moves a SQLite file into Postgres (PGlite) and checks counts and BM25 top-10', async () => {
    const sqlite = SqliteStore.open(join(dir, 'from.db'));
    await sqlite.upsert(records);
    const db = await PGlite.create({ extensions: { vector } });
    try {
      const postgres = await PostgresStore.open(db, { dimensions: 3, table: 'moved' });
      const progress: number[] = [];
      const result = await migrateStore(sqlite, postgres, { batchSize: 128, onProgress: (e) => progress.push(e.done) });
      expect(result).toEqual({ records: 600, queries: 20 });
      expect(progress.at(-1)).toBe(600);
      expect(await all(postgres)).toEqual(await all(sqlite));
      expect(await postgres.sources()).toEqual(await sqlite.sources());
      // And back into a fresh memory store, with queries of our own.
      const memory = new MemoryStore();
      expect(await migrateStore(postgres, memory, { check: { queries: ['the public debt', 'war with Mexico'] } })).toEqual({ records: 600, queries: 2 });
    } finally {
      await db.close();
      await sqlite.close();
    }
  });

  it('names the query whose top-10 differ, and refuses a target that is not empty', async () => {
    const from = new MemoryStore();
    await from.upsert(records.slice(0, 200));
    // Another analyzer ranks differently: the check must catch it.
    await expect(migrateStore(from, new MemoryStore({ analyzer: 'english' }))).rejects.toMatchObject({ code: 'CORRUPT_DATA', message: expect.stringMatching(/top-10 differ .* query/) as string });
    const busy = new MemoryStore();
    await busy.upsert([{ id: 'x', text: 'already here' }]);
    await expect(migrateStore(from, busy)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(migrateStore(from, from)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(migrateStore(from, {} as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await migrateStore(from, new MemoryStore({ analyzer: 'english' }), { check: false })).toEqual({ records: 200, queries: 0 });
  });
});
