import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isChunkwiseError } from '@chunkwise/core';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { storeContract } from '../__fixtures__/store-contract.js';
import { SqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'chunkwise-sqlite-'));
let n = 0;
const children: ReturnType<typeof spawn>[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

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
    const writer = fileURLToPath(new URL('../__fixtures__/sqlite-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=@chunkwise/source', '--import', 'tsx', writer, path, '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    let errors = '';
    child.stderr.on('data', (data: Buffer) => (errors += data.toString()));
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => {
        output += data.toString();
        if (output.includes('mid 3\n')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`writer exited early: ${output} ${errors}`)));
    });
    expect(await exit).toBe('SIGKILL');
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
