import type Database from 'better-sqlite3';
import { SqliteDatabase } from './better-sqlite3-peer.js';
import { checkOptions } from '../argument-checks.js';
import { ChunkwiseError } from '@chunkwise/core';
import { assertBytes, assertEntries, assertExpiresAt, assertKey, assertKeys, type StoreEntry, type SyncCacheStore } from './cache-store.js';

export interface SqliteStoreOptions {
  /** Database file; created when missing. `':memory:'` for a private in-memory database. */
  path: string;
  /**
   * `'normal'` (default) survives a crash of the process at any point: with WAL, a write that
   * returned is in the log. `'full'` also survives power loss, at one fsync per write.
   */
  synchronous?: 'normal' | 'full';
  /** SQLite page cache per connection, in KiB. Default 32768 (32 MiB, allocated as pages are read). */
  cacheKiB?: number;
  /**
   * Bytes of the file read through mmap instead of read(2). Default 256 MiB: on hot gets this
   * removes one system call per page (measured here: ~20 µs → ~3 µs of system time per get). 0 turns it off.
   */
  mmapBytes?: number;
  /**
   * `true` (default): gets issued in one synchronous run of JavaScript share one read transaction,
   * ended at the next microtask, instead of each taking and dropping SQLite's WAL read lock (two
   * `fcntl` calls per get). A run of gets therefore sees one snapshot: a write made meanwhile by
   * *another* connection (another process, or another `sqliteStore` on the same file in this
   * process) becomes visible from the next microtask on. This store's own writes end the read
   * transaction first, so they are always seen and always committed before `set` returns.
   * `false`: every get is its own transaction and sees the latest commit.
   */
  readBatching?: boolean;
  /** Clock in milliseconds since the epoch; tests inject one. Default `Date.now`. */
  now?: () => number;
}

export interface SqliteStore extends SyncCacheStore {
  readonly path: string;
  /** The stored bytes for each key, in order (undefined where absent or expired), read in one transaction. */
  getMany(keys: readonly string[]): (Uint8Array | undefined)[];
  /** Number of entries, expired ones included until pruned. */
  count(): number;
  /** Deletes expired entries; returns how many. */
  prune(): number;
}

const FORMAT = 'chunkwise-cache/1';

function storeError(action: string, path: string, cause: unknown): ChunkwiseError {
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new ChunkwiseError('CORRUPT_DATA', `sqliteStore: ${path} is not a readable SQLite database (${String(code)}); move it aside or choose another path.`, {
      cause,
      details: { path },
    });
  }
  return new ChunkwiseError('STORE', `sqliteStore: could not ${action} in ${path}: ${(cause as Error)?.message ?? String(cause)}`, {
    cause,
    details: { path, sqliteCode: code },
  });
}

/**
 * A content-cache store in one SQLite file (better-sqlite3 12.x, Node only). WAL journaling makes
 * every write atomic: a process killed mid-write keeps each entry whose `set` returned, and the
 * file is never left half-written. Several processes may share the file.
 */
export function sqliteStore(options: SqliteStoreOptions): SqliteStore {
  checkOptions('sqliteStore', options);
  const { path, synchronous = 'normal', cacheKiB = 32_768, mmapBytes = 256 * 2 ** 20, readBatching = true, now = Date.now } = options;
  for (const [name, value] of Object.entries({ cacheKiB, mmapBytes })) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `sqliteStore: ${name} must be a non-negative integer, got ${String(value)}.`);
    }
  }
  if (typeof path !== 'string' || path.length === 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'sqliteStore: `path` must be a file path or ":memory:".');
  }
  if (synchronous !== 'normal' && synchronous !== 'full') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `sqliteStore: synchronous must be 'normal' or 'full', got ${String(synchronous)}.`);
  }
  let db: Database.Database;
  try {
    db = new SqliteDatabase(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous.toUpperCase()}`);
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${cacheKiB}`);
    db.pragma(`mmap_size = ${mmapBytes}`);
    db.exec(`
      CREATE TABLE IF NOT EXISTS chunkwise_cache_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT OR IGNORE INTO chunkwise_cache_meta (name, value) VALUES ('format', '${FORMAT}');
      -- A rowid table, not WITHOUT ROWID: values are usually KiBs (embeddings), and SQLite keeps
      -- large rows far better out of the key's B-tree (measured here: ~2x the gets and ~3x the
      -- sets per CPU-second for 1 KiB values).
      CREATE TABLE IF NOT EXISTS chunkwise_cache (
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL,
        expires_at INTEGER
      );
    `);
  } catch (cause) {
    throw storeError('open the cache', path, cause);
  }
  const format = db.prepare<[], { value: string }>("SELECT value FROM chunkwise_cache_meta WHERE name = 'format'").get()?.value;
  if (format !== FORMAT) {
    db.close();
    throw new ChunkwiseError('CORRUPT_DATA', `sqliteStore: ${path} holds cache format ${String(format)}, this build reads ${FORMAT}.`, {
      details: { path, format },
    });
  }

  // Raw rows ([value, expires_at]) spare one object per get.
  const selectOne = db.prepare<[string], [Buffer, number | null]>('SELECT value, expires_at FROM chunkwise_cache WHERE key = ?').raw();
  const upsert = db.prepare<[string, Uint8Array, number | null]>('INSERT OR REPLACE INTO chunkwise_cache (key, value, expires_at) VALUES (?, ?, ?)');
  const deleteOne = db.prepare<[string]>('DELETE FROM chunkwise_cache WHERE key = ?');
  const deleteExpired = db.prepare<[string, number]>('DELETE FROM chunkwise_cache WHERE key = ? AND expires_at <= ?');
  const pruneAll = db.prepare<[number]>('DELETE FROM chunkwise_cache WHERE expires_at IS NOT NULL AND expires_at <= ?');
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM chunkwise_cache');
  const beginRead = db.prepare('BEGIN');
  const commitRead = db.prepare('COMMIT');
  const writeBatch = db.transaction((entries: readonly StoreEntry[]) => {
    for (const entry of entries) upsert.run(entry.key, entry.value, entry.expiresAt ?? null);
  });

  // The read transaction shared by the gets of one synchronous run (see `readBatching`). It only
  // ever reads: every write path ends it first, so a write is its own committed transaction.
  let reading = false;
  const endRead = (): void => {
    if (!reading) return;
    reading = false;
    if (db.open && db.inTransaction) commitRead.run();
  };
  const beginReadBatch = (): void => {
    if (reading || !readBatching) return;
    beginRead.run();
    reading = true;
    queueMicrotask(endRead);
  };

  const check = (entry: StoreEntry): void => {
    assertKey('sqliteStore', entry.key);
    assertBytes('sqliteStore', entry.value);
    assertExpiresAt('sqliteStore', entry.expiresAt);
  };

  const read = (key: string): Uint8Array | undefined => {
    assertKey('sqliteStore', key);
    let row;
    try {
      beginReadBatch();
      row = selectOne.get(key);
    } catch (cause) {
      throw storeError('read', path, cause);
    }
    if (row === undefined) return undefined;
    const [value, expiresAt] = row;
    if (expiresAt !== null) {
      const time = now();
      if (expiresAt <= time) {
        // Conditional delete: another process may have refreshed the entry since we read it.
        try {
          endRead();
          deleteExpired.run(key, time);
        } catch {
          // A read-only or busy database still answers the read correctly: the entry is expired.
        }
        return undefined;
      }
    }
    // A plain Uint8Array view (no copy): callers compare and decode it like any other store's bytes.
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  };

  return {
    name: 'sqlite',
    path,
    get: read,
    getMany(keys) {
      assertKeys('sqliteStore', keys);
      if (reading || keys.length < 2) return keys.map((key) => read(key));
      // One read transaction (one snapshot, one WAL read lock) for the whole batch.
      try {
        beginRead.run();
      } catch (cause) {
        throw storeError('read', path, cause);
      }
      reading = true;
      try {
        return keys.map((key) => read(key));
      } finally {
        endRead();
      }
    },
    set(key, value, expiresAt) {
      check({ key, value, ...(expiresAt === undefined ? {} : { expiresAt }) });
      try {
        endRead();
        upsert.run(key, value, expiresAt ?? null);
      } catch (cause) {
        throw storeError('write', path, cause);
      }
    },
    setMany(entries) {
      assertEntries('sqliteStore', entries);
      for (const entry of entries) check(entry);
      try {
        endRead();
        writeBatch(entries);
      } catch (cause) {
        throw storeError('write a batch', path, cause);
      }
    },
    delete(key) {
      try {
        endRead();
        return deleteOne.run(key).changes > 0;
      } catch (cause) {
        throw storeError('delete', path, cause);
      }
    },
    count() {
      return countAll.get()!.n;
    },
    prune() {
      endRead();
      return pruneAll.run(now()).changes;
    },
    close() {
      endRead();
      if (db.open) db.close();
    },
  };
}
