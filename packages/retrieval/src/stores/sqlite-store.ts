import { ChunkwiseError } from '@chunkwise/core';
import Database from 'better-sqlite3';
import type { ScoredId } from '../bm25/top-k-heap.js';
import { IndexedRecords, type IndexedStoreOptions } from './indexed-records.js';
import type { RecordMeta, Store, StoredRecord, StoreRecord, StoreSearchOptions } from './store.js';

export type SqliteStoreOptions = IndexedStoreOptions;

/** PRAGMA application_id marks the file as ours ("CWKR"); user_version is the schema version. */
const APPLICATION_ID = 0x43574b52;
const SCHEMA_VERSION = 1;

interface Row {
  id: string;
  text: string;
  fields: string | null;
  meta: string | null;
  vector: Buffer | null;
}

/**
 * A Store in one SQLite file (better-sqlite3 12). Records are the source of truth on disk; the
 * BM25 and vector indexes are rebuilt in memory when the file is opened. Every write is one
 * transaction in WAL mode with synchronous=FULL, so a crash (even SIGKILL mid-batch) leaves exactly
 * the last committed state, and a file that is not ours is refused with CORRUPT_DATA rather than
 * modified.
 */
export class SqliteStore implements Store {
  private readonly records: IndexedRecords;
  private readonly upsertRow: Database.Statement;
  private readonly deleteRow: Database.Statement;

  private constructor(
    private readonly db: Database.Database,
    options: SqliteStoreOptions,
    readonly path: string,
  ) {
    this.records = new IndexedRecords(options);
    this.upsertRow = db.prepare(
      'INSERT INTO records (id, text, fields, meta, vector) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET text = excluded.text, fields = excluded.fields, meta = excluded.meta, vector = excluded.vector',
    );
    this.deleteRow = db.prepare('DELETE FROM records WHERE id = ?');
  }

  /** Opens (or creates) a store file. */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    let db: Database.Database;
    try {
      db = new Database(path);
    } catch (error) {
      throw driverError(error, `Could not open SQLite file ${path}`);
    }
    try {
      const applicationId = db.pragma('application_id', { simple: true }) as number;
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
      if (applicationId === 0 && tables.n === 0) {
        db.pragma('journal_mode = WAL');
        db.exec(`
          CREATE TABLE records (id TEXT PRIMARY KEY NOT NULL, text TEXT NOT NULL, fields TEXT, meta TEXT, vector BLOB) WITHOUT ROWID;
          PRAGMA application_id = ${APPLICATION_ID};
          PRAGMA user_version = ${SCHEMA_VERSION};
        `);
      } else if (applicationId !== APPLICATION_ID) {
        throw new ChunkwiseError('CORRUPT_DATA', `${path} is a SQLite database, but not a Chunkwise store (application_id ${applicationId}); refusing to touch it.`);
      } else {
        const version = db.pragma('user_version', { simple: true }) as number;
        if (version !== SCHEMA_VERSION) throw new ChunkwiseError('CORRUPT_DATA', `${path} has store schema version ${version}; this version of Chunkwise reads ${SCHEMA_VERSION}.`);
        db.pragma('journal_mode = WAL');
      }
      // FULL: a committed transaction survives power loss too, not only a process crash.
      db.pragma('synchronous = FULL');
      const store = new SqliteStore(db, options, path);
      store.load();
      return store;
    } catch (error) {
      db.close();
      throw driverError(error, `Could not open the store ${path}`);
    }
  }

  upsert(records: Iterable<StoreRecord>): Promise<void> {
    return run(() => {
      const applied: StoredRecord[] = [];
      let dimensions = this.records.dimensions;
      // Validation and writes happen inside one transaction: the first bad record rolls all back.
      this.db.transaction(() => {
        for (const record of records) {
          const valid = this.records.validate(record, dimensions);
          if (valid.vector) dimensions ??= valid.vector.length;
          this.upsertRow.run(
            valid.id,
            valid.text,
            valid.fields ? JSON.stringify(valid.fields) : null,
            valid.meta ? JSON.stringify(valid.meta) : null,
            valid.vector ? Buffer.from(valid.vector.buffer, valid.vector.byteOffset, valid.vector.byteLength) : null,
          );
          applied.push(valid);
        }
      })();
      this.records.apply(applied);
    });
  }

  delete(ids: readonly string[]): Promise<void> {
    return run(() => {
      this.records.assertAllExist(ids);
      this.db.transaction(() => {
        for (const id of ids) this.deleteRow.run(id);
      })();
      this.records.remove(ids);
    });
  }

  get(id: string): Promise<StoredRecord | undefined> {
    return Promise.resolve(this.records.get(id));
  }

  count(): Promise<number> {
    return Promise.resolve(this.records.size);
  }

  searchText(query: string, options?: StoreSearchOptions): Promise<ScoredId[]> {
    return run(() => this.records.searchText(query, options));
  }

  searchVector(vector: ArrayLike<number>, options?: StoreSearchOptions): Promise<ScoredId[]> {
    return run(() => this.records.searchVector(vector, options));
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  private load(): void {
    const rows = this.db.prepare('SELECT id, text, fields, meta, vector FROM records ORDER BY id').all() as Row[];
    const records: StoredRecord[] = [];
    for (const row of rows) {
      try {
        const record: StoredRecord = { id: row.id, text: row.text };
        if (row.fields !== null) record.fields = JSON.parse(row.fields) as Record<string, string>;
        if (row.meta !== null) record.meta = JSON.parse(row.meta) as RecordMeta;
        if (row.vector !== null) {
          if (row.vector.byteLength % 4 !== 0) throw new Error('vector blob length is not a multiple of 4');
          record.vector = new Float32Array(row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.byteLength));
        }
        records.push(this.records.validate(record, this.records.dimensions ?? record.vector?.length));
      } catch (error) {
        throw new ChunkwiseError('CORRUPT_DATA', `Record "${row.id}" in ${this.path} cannot be read back: ${(error as Error).message}`, { cause: error });
      }
    }
    this.records.apply(records);
  }
}

function run<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(driverError(error, 'SQLite store operation failed'));
  }
}

/** ChunkwiseErrors pass through; SQLite's "not a database"/"corrupt" become CORRUPT_DATA, the rest STORE. */
function driverError(error: unknown, message: string): Error {
  if (error instanceof ChunkwiseError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new ChunkwiseError('CORRUPT_DATA', `${message}: the file is damaged or is not a SQLite database (${code}).`, { cause: error });
  }
  return new ChunkwiseError('STORE', `${message}: ${(error as Error).message}`, { cause: error });
}
