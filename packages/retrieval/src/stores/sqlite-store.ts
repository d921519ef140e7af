import { ChunkwiseError, isChunkwiseError, throwIfAborted } from '@chunkwise/core';
import Database from 'better-sqlite3';
import type { ScoredId } from '../bm25/top-k-heap.js';
import { IndexedRecords, type IndexedStoreOptions, type IndexSnapshot } from './indexed-records.js';
import { recordsBatchSize } from './records-options.js';
import { checkSource, planSourceSync, sourceRecords } from './source-sync-plan.js';
import type { RecordMeta, SourceSyncResult, Store, StoredRecord, StoreRecord, StoreRecordsOptions, StoreSearchOptions } from './store.js';

export interface SqliteStoreOptions extends IndexedStoreOptions {
  /**
   * Save the indexes on close()/checkpoint() and load them on open (default true). `false` keeps
   * the file to the records alone (about half the size) and re-indexes them on every open.
   */
  snapshots?: boolean;
}

/** PRAGMA application_id marks the file as ours ("CWKR"); user_version is the schema version. */
const APPLICATION_ID = 0x43574b52;
const SCHEMA_VERSION = 2;
/**
 * Added in schema 2: a generation counter that triggers bump on every change to a record (also
 * changes made outside Chunkwise), and index snapshots tagged with the generation they reflect.
 */
const SCHEMA_2 = `
  CREATE TABLE store_state (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO store_state (key, value) VALUES ('generation', 0);
  CREATE TRIGGER records_generation_insert AFTER INSERT ON records BEGIN UPDATE store_state SET value = value + 1 WHERE key = 'generation'; END;
  CREATE TRIGGER records_generation_update AFTER UPDATE ON records BEGIN UPDATE store_state SET value = value + 1 WHERE key = 'generation'; END;
  CREATE TRIGGER records_generation_delete AFTER DELETE ON records BEGIN UPDATE store_state SET value = value + 1 WHERE key = 'generation'; END;
  CREATE TABLE index_snapshots (name TEXT PRIMARY KEY NOT NULL, generation INTEGER NOT NULL, data BLOB NOT NULL) WITHOUT ROWID;
`;

interface Row {
  id: string;
  text: string;
  fields: string | null;
  meta: string | null;
  vector: Buffer | null;
}

/**
 * A Store in one SQLite file (better-sqlite3 12). Records are the source of truth on disk. Every
 * write is one transaction in WAL mode with synchronous=FULL that also bumps a generation counter,
 * so a crash (even SIGKILL mid-batch) leaves exactly the last committed state, and a file that is
 * not ours is refused with CORRUPT_DATA rather than modified.
 *
 * The in-memory BM25 index (and the HNSW graph, if used) are saved as checksummed blobs by
 * `checkpoint()` and `close()`, in one transaction, tagged with the generation they reflect.
 * Opening loads them when their generation is the file's current one (no re-indexing); otherwise
 * (a writer died after committing, a snapshot write was killed half-way, a damaged blob, other
 * index options) the indexes are rebuilt from the records, so a reopened store always answers for
 * exactly the committed records.
 */
export class SqliteStore implements Store {
  private indexed: IndexedRecords;
  private readonly upsertRow: Database.Statement;
  private readonly deleteRow: Database.Statement;
  private readonly getRow: Database.Statement;
  /** The file's write count as of our last write or the open. */
  private generation = 0;
  /** The generation the saved snapshot reflects (−1: none). */
  private snapshotGeneration = -1;
  /** How the indexes were obtained when the file was opened. */
  indexSource: 'snapshot' | 'records' = 'records';

  private constructor(
    private readonly db: Database.Database,
    private readonly options: SqliteStoreOptions,
    readonly path: string,
  ) {
    // Records are read back from the file (get), so memory holds only the indexes.
    this.indexed = new IndexedRecords(options, false);
    this.upsertRow = db.prepare(
      'INSERT INTO records (id, text, fields, meta, vector) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET text = excluded.text, fields = excluded.fields, meta = excluded.meta, vector = excluded.vector',
    );
    this.deleteRow = db.prepare('DELETE FROM records WHERE id = ?');
    this.getRow = db.prepare('SELECT id, text, fields, meta, vector FROM records WHERE id = ?');
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
          ${SCHEMA_2}
          PRAGMA application_id = ${APPLICATION_ID};
          PRAGMA user_version = ${SCHEMA_VERSION};
        `);
      } else if (applicationId !== APPLICATION_ID) {
        throw new ChunkwiseError('CORRUPT_DATA', `${path} is a SQLite database, but not a Chunkwise store (application_id ${applicationId}); refusing to touch it.`);
      } else {
        const version = db.pragma('user_version', { simple: true }) as number;
        if (version === 1) {
          // Schema 1 had only the records table: add the generation counter and the snapshots.
          db.transaction(() => db.exec(`${SCHEMA_2} PRAGMA user_version = ${SCHEMA_VERSION};`))();
        } else if (version !== SCHEMA_VERSION) throw new ChunkwiseError('CORRUPT_DATA', `${path} has store schema version ${version}; this version of Chunkwise reads ${SCHEMA_VERSION}.`);
        db.pragma('journal_mode = WAL');
      }
      // FULL: a committed transaction survives power loss too, not only a process crash.
      db.pragma('synchronous = FULL');
      const store = new SqliteStore(db, options, path);
      store.load(options);
      return store;
    } catch (error) {
      db.close();
      throw driverError(error, `Could not open the store ${path}`);
    }
  }

  upsert(records: Iterable<StoreRecord>): Promise<void> {
    return run(() => {
      const applied: StoredRecord[] = [];
      let dimensions = this.indexed.dimensions;
      // Validation and writes happen inside one transaction: the first bad record rolls all back.
      this.db.transaction(() => {
        for (const record of records) {
          const valid = this.indexed.validate(record, dimensions);
          if (valid.vector) dimensions ??= valid.vector.length;
          this.writeRow(valid);
          applied.push(valid);
        }
        this.generation = this.currentGeneration();
      })();
      this.indexed.apply(applied);
    });
  }

  delete(ids: readonly string[]): Promise<void> {
    return run(() => {
      this.indexed.assertAllExist(ids);
      this.db.transaction(() => {
        for (const id of ids) this.deleteRow.run(id);
        this.generation = this.currentGeneration();
      })();
      this.indexed.remove(ids);
    });
  }

  get(id: string): Promise<StoredRecord | undefined> {
    return run(() => {
      const row = this.getRow.get(id) as Row | undefined;
      return row && this.decodeRow(row);
    });
  }

  count(): Promise<number> {
    return Promise.resolve(this.indexed.size);
  }

  searchText(query: string, options?: StoreSearchOptions): Promise<ScoredId[]> {
    return run(() => this.indexed.searchText(query, options));
  }

  searchVector(vector: ArrayLike<number>, options?: StoreSearchOptions): Promise<ScoredId[]> {
    return run(() => this.indexed.searchVector(vector, options));
  }

  async *records(options?: StoreRecordsOptions): AsyncIterable<StoredRecord> {
    const batchSize = recordsBatchSize(options);
    // Keyset pagination on the primary key (BINARY collation: code point order).
    const page = this.db.prepare('SELECT id, text, fields, meta, vector FROM records WHERE id > ? ORDER BY id LIMIT ?');
    let after = '';
    for (;;) {
      throwIfAborted(options?.signal);
      let rows: Row[];
      try {
        rows = page.all(after, batchSize) as Row[];
      } catch (error) {
        throw driverError(error, 'Could not read the records');
      }
      for (const row of rows) yield this.decodeRow(row);
      if (rows.length < batchSize) return;
      after = (rows.at(-1) as Row).id;
    }
  }

  replaceSource(source: string, records: Iterable<StoreRecord>): Promise<SourceSyncResult> {
    return run(() => {
      checkSource(source);
      const given = sourceRecords(source, records);
      let plan: ReturnType<typeof planSourceSync> | undefined;
      this.db.transaction(() => {
        let dimensions = this.indexed.dimensions;
        const incoming = given.map((record) => {
          const valid = this.indexed.validate(record, dimensions);
          if (valid.vector) dimensions ??= valid.vector.length;
          return valid;
        });
        const before = new Map<string, StoredRecord>();
        for (const id of this.indexed.idsOfSource(source)) {
          const row = this.getRow.get(id) as Row | undefined;
          if (row) before.set(id, this.decodeRow(row));
        }
        plan = planSourceSync(source, incoming, before);
        for (const id of plan.remove) this.deleteRow.run(id);
        for (const record of plan.write) this.writeRow(record);
        this.generation = this.currentGeneration();
      })();
      const { write, remove, result } = plan as NonNullable<typeof plan>;
      this.indexed.remove(remove);
      this.indexed.apply(write);
      return result;
    });
  }

  sources(): Promise<string[]> {
    return Promise.resolve(this.indexed.sources());
  }

  /**
   * Saves the in-memory indexes (one transaction), so the next open loads them instead of
   * re-indexing. close() does this too; call it in long-running writers to keep reopening fast
   * after a crash. Does nothing when the saved snapshot is current or the analyzer is custom.
   */
  checkpoint(): Promise<void> {
    return run(() => {
      if (this.snapshotGeneration === this.generation || this.options.snapshots === false) return;
      const snapshot = this.indexed.snapshot();
      if (!snapshot) return;
      const write = this.db.prepare('INSERT OR REPLACE INTO index_snapshots (name, generation, data) VALUES (?, ?, ?)');
      this.db.transaction(() => {
        // Another connection may have written since: never tag a stale index with a newer generation.
        if (this.currentGeneration() !== this.generation) return;
        this.db.prepare('DELETE FROM index_snapshots').run();
        for (const [name, data] of Object.entries(snapshot) as [string, Uint8Array][]) write.run(name, this.generation, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
        this.snapshotGeneration = this.generation;
      })();
    });
  }

  async close(): Promise<void> {
    try {
      await this.checkpoint();
    } finally {
      this.db.close();
    }
  }

  private writeRow(record: StoredRecord): void {
    this.upsertRow.run(
      record.id,
      record.text,
      record.fields ? JSON.stringify(record.fields) : null,
      record.meta ? JSON.stringify(record.meta) : null,
      record.vector ? Buffer.from(record.vector.buffer, record.vector.byteOffset, record.vector.byteLength) : null,
    );
  }

  private currentGeneration(): number {
    return (this.db.prepare("SELECT value FROM store_state WHERE key = 'generation'").get() as { value: number } | undefined)?.value ?? 0;
  }

  private load(options: SqliteStoreOptions): void {
    this.generation = this.currentGeneration();
    const saved = this.db.prepare('SELECT name, generation, data FROM index_snapshots').all() as { name: string; generation: number; data: Buffer }[];
    const current = saved.filter((row) => row.generation === this.generation);
    const bm25 = options.snapshots === false ? undefined : current.find((row) => row.name === 'bm25');
    if (bm25) {
      const snapshot: IndexSnapshot = { bm25: bm25.data };
      const hnsw = current.find((row) => row.name === 'hnsw');
      if (hnsw) snapshot.hnsw = hnsw.data;
      try {
        // Committed rows were validated when written, and the snapshot is checksummed. Texts are
        // not read at all: the BM25 snapshot carries the index and the metadata, and get() reads
        // records from the file. Flat vectors are copied from their rows; an HNSW graph is loaded.
        const { n, v } = this.db.prepare('SELECT count(*) AS n, count(vector) AS v FROM records').get() as { n: number; v: number };
        const vectorRows = () => (this.db.prepare("SELECT id, '' AS text, NULL AS fields, meta, vector FROM records WHERE vector IS NOT NULL").all() as Row[]).map((row) => this.decodeRow(row));
        this.indexed.restore(snapshot, n, v, vectorRows);
        this.indexSource = 'snapshot';
        this.snapshotGeneration = this.generation;
        return;
      } catch (error) {
        if (!isChunkwiseError(error)) throw error;
        // The snapshot cannot be used (damaged, or other index options): index the records again.
        this.indexed = new IndexedRecords(options, false);
      }
    }
    this.rebuild(this.db.prepare('SELECT id, text, fields, meta, vector FROM records ORDER BY id').all() as Row[]);
  }

  private decodeRow(row: Row): StoredRecord {
    try {
      const record: StoredRecord = { id: row.id, text: row.text };
      if (row.fields !== null) record.fields = JSON.parse(row.fields) as Record<string, string>;
      if (row.meta !== null) record.meta = JSON.parse(row.meta) as RecordMeta;
      if (row.vector !== null) {
        if (row.vector.byteLength % 4 !== 0) throw new Error('vector blob length is not a multiple of 4');
        record.vector = new Float32Array(row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.byteLength));
      }
      return record;
    } catch (error) {
      throw new ChunkwiseError('CORRUPT_DATA', `Record "${row.id}" in ${this.path} cannot be read back: ${(error as Error).message}`, { cause: error });
    }
  }

  private rebuild(rows: Row[]): void {
    const records: StoredRecord[] = [];
    for (const row of rows) {
      const record = this.decodeRow(row);
      try {
        records.push(this.indexed.validate(record, this.indexed.dimensions ?? record.vector?.length));
      } catch (error) {
        throw new ChunkwiseError('CORRUPT_DATA', `Record "${row.id}" in ${this.path} cannot be read back: ${(error as Error).message}`, { cause: error });
      }
    }
    this.indexed.apply(records);
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
