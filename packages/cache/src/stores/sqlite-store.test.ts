import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { isChunkwiseError } from '@chunkwise/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createCache } from '../content/create-cache.js';
import { sqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'chunkwise-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(dir, `cache-${files++}.db`);

function valueFor(i: number): Uint8Array {
  const value = new Uint8Array(4096 + (i % 7) * 1024);
  for (let j = 0; j < value.length; j++) value[j] = (i * 31 + j) & 255;
  return value;
}

describe('sqliteStore', () => {
  it('stores, replaces, deletes and reopens entries', () => {
    const path = freshPath();
    const store = sqliteStore({ path });
    store.set('a', new Uint8Array([1, 2]));
    store.set('a', new Uint8Array([3]));
    store.setMany([
      { key: 'b', value: new Uint8Array([4]) },
      { key: 'c', value: new Uint8Array([5]) },
    ]);
    expect(store.delete('c')).toBe(true);
    expect(store.delete('c')).toBe(false);
    store.close();
    const reopened = sqliteStore({ path });
    expect(Array.from(reopened.get('a')!)).toEqual([3]);
    expect(Array.from(reopened.get('b')!)).toEqual([4]);
    expect(reopened.get('c')).toBeUndefined();
    expect(reopened.count()).toBe(2);
    reopened.close();
  });

  it('getMany answers each key in order, in one read transaction', () => {
    let time = 1000;
    const store = sqliteStore({ path: freshPath(), now: () => time });
    store.setMany([
      { key: 'a', value: new Uint8Array([1]) },
      { key: 'b', value: new Uint8Array([2]), expiresAt: 1500 },
      { key: 'c', value: new Uint8Array([3]) },
    ]);
    time = 2000;
    const got = store.getMany(['c', 'missing', 'a', 'b', 'a']);
    expect(got.map((v) => (v === undefined ? undefined : Array.from(v)))).toEqual([[3], undefined, [1], undefined, [1]]);
    expect(store.getMany([])).toEqual([]);
    // The expired entry was dropped on the way.
    expect(store.count()).toBe(2);
    expect(() => store.getMany('a' as unknown as string[])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    store.close();
  });

  it('commits a set before it returns even while a batch of gets holds a read transaction', () => {
    const path = freshPath();
    const store = sqliteStore({ path });
    const other = new Database(path, { readonly: true });
    const peek = other.prepare<[string], { value: Buffer }>('SELECT value FROM chunkwise_cache WHERE key = ?');
    // All in one synchronous run: the get opens the shared read transaction, the set must end it.
    expect(store.get('k')).toBeUndefined();
    store.set('k', new Uint8Array([9]));
    expect(Array.from(peek.get('k')!.value)).toEqual([9]);
    expect(Array.from(store.get('k')!)).toEqual([9]);
    store.setMany([{ key: 'm', value: new Uint8Array([8]) }]);
    expect(Array.from(peek.get('m')!.value)).toEqual([8]);
    expect(store.get('m')).toBeDefined();
    expect(store.delete('m')).toBe(true);
    expect(peek.get('m')).toBeUndefined();
    other.close();
    store.close();
  });

  it('shows another connection\'s writes from the next microtask on (readBatching), or at once without it', async () => {
    const path = freshPath();
    const reader = sqliteStore({ path });
    const eager = sqliteStore({ path, readBatching: false });
    const writer = sqliteStore({ path });
    expect(reader.get('k')).toBeUndefined();
    expect(eager.get('k')).toBeUndefined();
    writer.set('k', new Uint8Array([1]));
    // Same synchronous run: the batched reader still reads its snapshot, the eager one sees the write.
    expect(reader.get('k')).toBeUndefined();
    expect(eager.get('k')).toBeDefined();
    await Promise.resolve();
    expect(Array.from(reader.get('k')!)).toEqual([1]);
    // A read transaction left open by a run of gets does not block another connection's writes.
    writer.set('k', new Uint8Array([2]));
    expect(Array.from(eager.get('k')!)).toEqual([2]);
    for (const store of [reader, eager, writer]) store.close();
  });

  it('uses WAL journaling', () => {
    const path = freshPath();
    sqliteStore({ path }).close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('expires entries and prunes them', () => {
    let time = 1000;
    const store = sqliteStore({ path: ':memory:', now: () => time });
    store.set('a', new Uint8Array([1]), 1100);
    store.set('b', new Uint8Array([2]), 1200);
    store.set('c', new Uint8Array([3]));
    time = 1100;
    expect(store.get('a')).toBeUndefined();
    expect(store.get('b')).toBeDefined();
    time = 1200;
    expect(store.prune()).toBe(1);
    expect(store.count()).toBe(1);
    store.close();
  });

  it('backs a content cache with Float32Array values', async () => {
    const store = sqliteStore({ path: ':memory:' });
    const cache = createCache({ store, namespace: 'emb' });
    await cache.set('whale', new Float32Array([1, 2.5, -3]));
    expect(await cache.get('whale')).toEqual(new Float32Array([1, 2.5, -3]));
    store.close();
  });

  it('reports a file that is not a cache database as CORRUPT_DATA and leaves it untouched', () => {
    const path = freshPath();
    writeFileSync(path, 'x'.repeat(4096));
    try {
      sqliteStore({ path });
      expect.unreachable();
    } catch (error) {
      expect(isChunkwiseError(error, 'CORRUPT_DATA')).toBe(true);
    }
    const foreign = freshPath();
    const db = new Database(foreign);
    db.exec("CREATE TABLE chunkwise_cache_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO chunkwise_cache_meta VALUES ('format', 'other/9')");
    db.close();
    expect(() => sqliteStore({ path: foreign })).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
  });

  it('rejects bad arguments with INVALID_ARGUMENT', () => {
    expect(() => sqliteStore({ path: '' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const store = sqliteStore({ path: ':memory:' });
    expect(() => store.set('k', 'text' as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => store.setMany([{ key: '', value: new Uint8Array(1) }])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    store.close();
  });

  it.each(['single', 'batch', 'read-write'])('keeps every acknowledged entry when the writer is SIGKILLed mid-stream (%s writes)', async (mode) => {
    const path = freshPath();
    const fixture = fileURLToPath(new URL('../__fixtures__/sqlite-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=@chunkwise/source', '--import', 'tsx', fixture, path, mode], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: string[] = [];
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => {
        pending += data.toString();
        const lines = pending.split('\n');
        pending = lines.pop()!;
        acknowledged.push(...lines);
        // Kill while writes are streaming, not after a pause.
        if (acknowledged.length >= 300 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`writer exited early: ${stderr}`)));
    }).catch((error: unknown) => {
      if (!child.killed) throw error;
    });
    expect(await exited).toBe('SIGKILL');

    const store = sqliteStore({ path });
    // Byte comparison per entry (a deep toEqual over 300 × 8 KiB would dominate the test time).
    const lost = acknowledged.filter((key) => {
      const got = store.get(key);
      return got === undefined || !Buffer.from(got).equals(valueFor(Number(key.slice(1))));
    });
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    expect(lost).toEqual([]);
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
