import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isChunkwiseError } from '@chunkwise/core';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { storeContract } from '../__fixtures__/store-contract.js';
import { sotuPassages } from '../__fixtures__/sotu-passages.js';
import { MemoryStore } from './memory-store.js';
import { SqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'chunkwise-sqlite-'));
let n = 0;
const children: ReturnType<typeof spawn>[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the writer fixture and SIGKILLs it as soon as it prints `killAt`; returns what it printed. */
async function killWriter(path: string, args: string[], killAt: string): Promise<string> {
  const writer = fileURLToPath(new URL('../__fixtures__/sqlite-writer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@chunkwise/source', '--import', 'tsx', writer, path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  let errors = '';
  child.stderr.on('data', (data: Buffer) => (errors += data.toString()));
  const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      if (output.includes(killAt)) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`writer exited early: ${output} ${errors}`)));
  });
  expect(await exit).toBe('SIGKILL');
  return output;
}

/** The records the writer fixture commits as batch n. */
function writerBatch(n: number) {
  return Array.from({ length: 100 }, (_, i) => ({ id: `b${n}-r${i}`, text: `batch ${n} record ${i} of the whaling voyage`, meta: { batch: n }, vector: [n + 1, i + 1, 1] }));
}

storeContract('SqliteStore', () => Promise.resolve(SqliteStore.open(join(dir, `contract-${n++}.db`))), { vectors: true });

describe('SqliteStore on disk', () => {
  it('reopens with exactly what was stored, in WAL mode', async () => {
    const path = join(dir, 'reopen.db');
    const store = SqliteStore.open(path, { fields: { title: 2 } });
    await store.upsert([
      { id: 'a', text: 'the white whale', fields: { title: 'Moby Dick' }, meta: { chapter: 41 }, vector: [0.5, 0.25, 1] },
      { id: 'b', text: 'the try-works', meta: { chapter: 96 } },
    ]);
    await store.delete(['b']);
    await store.upsert([{ id: 'c', text: 'the chart', vector: [1, 1, 1] }]);
    const before = await store.searchText('the whale chart moby');
    await store.close();
    const reopened = SqliteStore.open(path, { fields: { title: 2 } });
    // Flat vectors come from the rows; the file counts them (a trigger), so the snapshot is used.
    expect(reopened.indexSource).toBe('snapshot');
    expect(await reopened.count()).toBe(2);
    expect(await reopened.get('a')).toEqual({ id: 'a', text: 'the white whale', fields: { title: 'Moby Dick' }, meta: { chapter: 41 }, vector: new Float32Array([0.5, 0.25, 1]) });
    expect(await reopened.searchText('the whale chart moby')).toEqual(before);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await reopened.close();
  });

  it('after a writer is SIGKILLed mid-batch, reopening gives exactly the committed batches', async () => {
    const path = join(dir, 'crash.db');
    const output = await killWriter(path, ['3', 'records'], 'mid 3\n');
    expect(output).toContain('committed 2\n');
    expect(output).not.toContain('committed 3');
    // The half-written batch is in the WAL or nowhere; either way it must not be visible.
    expect(existsSync(`${path}-wal`)).toBe(true);
    const store = SqliteStore.open(path);
    expect(await store.count()).toBe(300);
    for (let batch = 0; batch < 3; batch++) {
      for (const i of [0, 49, 50, 99]) {
        expect(await store.get(`b${batch}-r${i}`)).toMatchObject({ text: `batch ${batch} record ${i} of the whaling voyage`, meta: { batch } });
      }
    }
    expect(await store.get('b3-r0')).toBeUndefined();
    expect((await store.searchText('batch 3 record')).every((h) => !h.id.startsWith('b3-'))).toBe(true);
    // And the store keeps working after recovery.
    await store.upsert([{ id: 'after', text: 'written after the crash' }]);
    expect(await store.count()).toBe(301);
    await store.close();
  });

  it('after a writer is SIGKILLed while saving its index snapshot, reopening rebuilds exactly the committed records', async () => {
    const path = join(dir, 'crash-snapshot.db');
    const options = { hnsw: { M: 8, efConstruction: 32 } };
    const output = await killWriter(path, ['0', 'snapshot'], 'mid snapshot\n');
    expect(output).toContain('checkpointed 0\n');
    expect(output).toContain('committed 1\n');
    expect(output).not.toContain('closed');
    // The killed snapshot transaction left nothing: only the checkpoint taken after batch 0 (100
    // inserted rows, one generation each) is there; the file is at generation 200.
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT name, generation, records FROM snapshots ORDER BY name').all()).toEqual([
      { name: 'bm25', generation: 100, records: 100 },
      { name: 'hnsw', generation: 100, records: 100 },
    ]);
    expect(db.prepare('SELECT generation, records FROM store_state').get()).toEqual({ generation: 200, records: 200 });
    db.close();
    const store = SqliteStore.open(path, options);
    expect(store.indexSource).toBe('records');
    expect(await store.count()).toBe(200);
    const reference = new MemoryStore(options);
    await reference.upsert(writerBatch(0));
    await reference.upsert(writerBatch(1));
    for (const query of ['batch 1 record 7', 'whaling voyage record 42', 'batch 0']) {
      expect(await store.searchText(query, { k: 20 })).toEqual(await reference.searchText(query, { k: 20 }));
    }
    const before = await store.searchVector([2, 50, 1], { k: 10 });
    await store.close();
    // close() saved a current snapshot: the next open loads it, and answers the same.
    const reopened = SqliteStore.open(path, options);
    expect(reopened.indexSource).toBe('snapshot');
    expect(await reopened.searchText('batch 1 record 7', { k: 20 })).toEqual(await reference.searchText('batch 1 record 7', { k: 20 }));
    expect(await reopened.searchVector([2, 50, 1], { k: 10 })).toEqual(before);
    await reopened.close();
  });

  it('loads its saved indexes only when they match the committed records and the options', async () => {
    const path = join(dir, 'snapshots.db');
    const passages = sotuPassages().slice(0, 400);
    const records = passages.map((p, i) => ({ id: p.id, text: p.text, meta: { even: i % 2 === 0 }, vector: [Math.sin(i), Math.cos(i), i / 400] }));
    const store = SqliteStore.open(path, { fields: { title: 2 }, hnsw: { M: 8, efConstruction: 40 } });
    await store.upsert(records.slice(0, 300));
    await store.delete(records.slice(0, 50).map((r) => r.id));
    await store.upsert(records.slice(300).map((r) => ({ ...r, fields: { title: 'the address' } })));
    const queries = ['the public debt', 'congress and the people of the united states', 'address'];
    const answers = async (s: SqliteStore) => ({
      text: await Promise.all(queries.map((q) => s.searchText(q, { k: 15 }))),
      filtered: await s.searchText('the public debt', { k: 15, filter: { even: true } }),
      vector: await s.searchVector([0.2, 0.9, 0.5], { k: 10 }),
    });
    const before = await answers(store);
    await store.close();
    const reopened = SqliteStore.open(path, { fields: { title: 2 }, hnsw: { M: 8, efConstruction: 40 } });
    expect(reopened.indexSource).toBe('snapshot');
    expect(await answers(reopened)).toEqual(before);
    expect(await reopened.count()).toBe(350);
    expect(await reopened.get(records[310]!.id)).toMatchObject({ fields: { title: 'the address' }, meta: { even: true } });
    // Writes after a load go on normally and are saved again on close.
    await reopened.delete([records[60]!.id]);
    const after = await answers(reopened);
    await reopened.close();
    const third = SqliteStore.open(path, { fields: { title: 2 }, hnsw: { M: 8, efConstruction: 40 } });
    expect(third.indexSource).toBe('snapshot');
    expect(await answers(third)).toEqual(after);
    await third.close();
    // Other options (a field weight): the snapshot is not used, the records are indexed again.
    const other = SqliteStore.open(path, { fields: { title: 3 }, hnsw: { M: 8, efConstruction: 40 } });
    expect(other.indexSource).toBe('records');
    const reference = new MemoryStore({ fields: { title: 3 } });
    await reference.upsert(records.slice(50, 300).filter((r) => r.id !== records[60]!.id));
    await reference.upsert(records.slice(300).map((r) => ({ ...r, fields: { title: 'the address' } })));
    expect(await other.searchText('the public debt', { k: 15 })).toEqual(await reference.searchText('the public debt', { k: 15 }));
    await other.close();
    // A damaged snapshot blob is detected (checksum) and the records are indexed again.
    const db = new Database(path);
    db.prepare("UPDATE snapshot_pages SET data = CAST(substr(data, 1, 100) || x'ff' || substr(data, 102) AS BLOB) WHERE name = 'bm25' AND page = 0").run();
    db.close();
    const damaged = SqliteStore.open(path, { fields: { title: 3 }, hnsw: { M: 8, efConstruction: 40 } });
    expect(damaged.indexSource).toBe('records');
    expect(await damaged.searchText('the public debt', { k: 15 })).toEqual(await reference.searchText('the public debt', { k: 15 }));
    await damaged.close();
    // snapshots: false never reads (nor writes) them.
    const without = SqliteStore.open(path, { fields: { title: 3 }, hnsw: { M: 8, efConstruction: 40 }, snapshots: false });
    expect(without.indexSource).toBe('records');
    expect(await without.searchText('the public debt', { k: 15 })).toEqual(await reference.searchText('the public debt', { k: 15 }));
    await without.close();
  });

  it('does not trust its saved index after records were changed behind its back, and refuses edited records', async () => {
    const path = join(dir, 'external.db');
    const store = SqliteStore.open(path);
    await store.upsert([
      { id: 'a', text: 'the white whale' },
      { id: 'b', text: 'the try-works' },
      { id: 'c', text: 'a white squall' },
    ]);
    await store.close();
    // A row deleted outside Chunkwise: the triggers count it, the snapshot is stale, the records are indexed again.
    let db = new Database(path);
    db.prepare("DELETE FROM records WHERE id = 'a'").run();
    db.close();
    const reopened = SqliteStore.open(path);
    expect(reopened.indexSource).toBe('records');
    expect((await reopened.searchText('white')).map((h) => h.id)).toEqual(['c']);
    await reopened.close();
    // A text edited outside Chunkwise no longer matches its checksum: CORRUPT_DATA, not an answer from other text.
    db = new Database(path);
    db.prepare("UPDATE records SET text = 'the grey squid' WHERE id = 'b'").run();
    expect(() => db.prepare("INSERT INTO records (id, text) VALUES ('d', 'no checksum')").run()).toThrow(/NOT NULL/);
    db.close();
    expect(() => SqliteStore.open(path)).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA', message: expect.stringMatching(/"b".*checksum/) as string }) as Error);
  });

  it('opens a schema-1 file (records only) and upgrades it', async () => {
    const path = join(dir, 'schema1.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE records (id TEXT PRIMARY KEY NOT NULL, text TEXT NOT NULL, fields TEXT, meta TEXT, vector BLOB) WITHOUT ROWID;
      PRAGMA application_id = ${0x43574b52}; PRAGMA user_version = 1;
      INSERT INTO records (id, text) VALUES ('a', 'the white whale'), ('b', 'the try-works');`);
    db.close();
    const store = SqliteStore.open(path);
    expect(store.indexSource).toBe('records');
    expect((await store.searchText('whale')).map((h) => h.id)).toEqual(['a']);
    await store.close();
    const reopened = SqliteStore.open(path);
    expect(reopened.indexSource).toBe('snapshot');
    expect((await reopened.searchText('whale')).map((h) => h.id)).toEqual(['a']);
    await reopened.close();
  });

  it('opens a schema-2 file (one blob per snapshot, no checksums) and upgrades it to checksummed records', async () => {
    const path = join(dir, 'schema2.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE records (id TEXT PRIMARY KEY NOT NULL, text TEXT NOT NULL, fields TEXT, meta TEXT, vector BLOB) WITHOUT ROWID;
      CREATE TABLE store_state (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO store_state (key, value) VALUES ('generation', 0);
      CREATE TRIGGER records_generation_insert AFTER INSERT ON records BEGIN UPDATE store_state SET value = value + 1 WHERE key = 'generation'; END;
      CREATE TRIGGER records_generation_update AFTER UPDATE ON records BEGIN UPDATE store_state SET value = value + 1 WHERE key = 'generation'; END;
      CREATE TRIGGER records_generation_delete AFTER DELETE ON records BEGIN UPDATE store_state SET value = value + 1 WHERE key = 'generation'; END;
      CREATE TABLE index_snapshots (name TEXT PRIMARY KEY NOT NULL, generation INTEGER NOT NULL, data BLOB NOT NULL) WITHOUT ROWID;
      PRAGMA application_id = ${0x43574b52}; PRAGMA user_version = 2;
      INSERT INTO records (id, text, meta, vector) VALUES ('a', 'the white whale', '{"source":"moby.txt"}', x'0000803f00000040'), ('b', 'the try-works', NULL, NULL);
      INSERT INTO index_snapshots (name, generation, data) VALUES ('bm25', 2, x'00');`);
    db.close();
    const store = SqliteStore.open(path);
    expect(store.indexSource).toBe('records');
    expect((await store.searchText('whale')).map((h) => h.id)).toEqual(['a']);
    expect(await store.get('a')).toEqual({ id: 'a', text: 'the white whale', meta: { source: 'moby.txt' }, vector: new Float32Array([1, 2]) });
    expect(await store.sources()).toEqual(['moby.txt']);
    await store.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(3);
    expect(check.prepare('SELECT count(*) AS n FROM records WHERE checksum IS NOT NULL').get()).toEqual({ n: 2 });
    check.close();
    const reopened = SqliteStore.open(path);
    expect(reopened.indexSource).toBe('snapshot');
    expect((await reopened.searchText('works')).map((h) => h.id)).toEqual(['b']);
    await reopened.close();
  });

  it('refuses a foreign SQLite file and a non-SQLite file with CORRUPT_DATA, without modifying them', () => {
    const foreign = join(dir, 'foreign.db');
    const db = new Database(foreign);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'Ahab')");
    db.close();
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, Buffer.alloc(8192, 0x5a));
    for (const path of [foreign, garbage]) {
      try {
        SqliteStore.open(path);
        expect.unreachable();
      } catch (error) {
        expect(isChunkwiseError(error, 'CORRUPT_DATA')).toBe(true);
      }
    }
    const check = new Database(foreign, { readonly: true });
    expect(check.prepare('SELECT name FROM customers').get()).toEqual({ name: 'Ahab' });
    check.close();
  });

  it('reports a damaged store file with CORRUPT_DATA', async () => {
    const path = join(dir, 'damaged.db');
    const store = SqliteStore.open(path);
    await store.upsert([{ id: 'v', text: 'vector record', vector: [1, 2, 3] }]);
    await store.close();
    const db = new Database(path);
    db.prepare("UPDATE records SET vector = x'0102' WHERE id = 'v'").run();
    db.close();
    expect(() => SqliteStore.open(path)).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }) as Error);
  });
});
