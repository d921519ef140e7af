import { ChunkwiseError, isChunkwiseError, throwIfAborted } from '@chunkwise/core';
import type Database from 'better-sqlite3';
import { SqliteDatabase } from './better-sqlite3-peer.js';
import { describeValue, optionsObject } from '../argument-checks.js';
import type { ScoredId } from '../bm25/top-k-heap.js';
import { IndexedRecords, type IndexedStoreOptions, type IndexSnapshot } from './indexed-records.js';
import { recordsBatchSize } from './records-options.js';
import { checkSource, planSourceSync, sourceRecords } from './source-sync-plan.js';
import { openSchema } from './sqlite-schema.js';
import { readSnapshot, writeSnapshots, type SnapshotTag } from './sqlite-snapshots.js';
import { decodeRow, encodeRow, ROW_COLUMNS, type Row } from './sqlite-rows.js';
import type { SourceSyncResult, Store, StoredRecord, StoreRecord, StoreRecordsOptions, StoreSearchOptions } from './store.js';

export interface SqliteStoreOptions extends IndexedStoreOptions {
  /**
   * Save the indexes on close()/checkpoint() and load them on open (default true). `false` keeps
   * the file to the records alone (about half the size) and re-indexes them on every open.
   */
  snapshots?: boolean;
  /** How long a write waits for another process's write transaction to finish; default 30,000 ms. */
  busyTimeoutMs?: number;
}

/** The file's counters: generation, records, checksum sum and records with a vector. */
interface StoreState extends SnapshotTag {
  vectors: number;
}

/** Memory-mapped I/O while opening (quick_check and the snapshot pages). */
const OPEN_MMAP_BYTES = 2 ** 32;

/** Changes kept in the log after a checkpoint, for handles that lag behind (older ones re-index). */
const KEEP_CHANGES = 100_000;

/**
 * A Store in one SQLite file (better-sqlite3 12). Records are the source of truth on disk; each
 * carries a checksum of its columns, verified whenever it is read. Every write is one immediate
 * transaction in WAL mode with synchronous=FULL, and triggers keep a generation counter, the
 * record count and the sum of the checksums in the same transaction and log which record changed.
 *
 * Several handles (in one process or several) may write the same file. Before answering and
 * inside every write transaction a handle compares the file's generation with the one its
 * in-memory index reflects and catches up on the logged changes of other writers, so it never
 * answers from old text and never tags an index with a generation it does not reflect.
 *
 * The in-memory BM25 index (and the HNSW graph, if used) are saved by `checkpoint()` and `close()`
 * in pages with checksums, tagged with the generation, count and checksum sum they reflect. Opening
 * loads them only when those equal the file's; otherwise (another writer since, a writer killed
 * after committing, a damaged page, other options) the records are indexed again, checking every
 * checksum and the count and sum, so a reopened store answers for exactly the committed records or
 * fails with CORRUPT_DATA. A file SQLite reports damaged (PRAGMA quick_check) is refused at open
 * with CORRUPT_DATA before anything is written to it.
 */
export class SqliteStore implements Store {
  private indexed: IndexedRecords;
  private readonly upsertRow: Database.Statement;
  private readonly deleteRow: Database.Statement;
  private readonly getRow: Database.Statement;
  private readonly stateRow: Database.Statement;
  /** The file's generation our in-memory indexes reflect. */
  private generation = 0;
  /** The generation of the snapshot we last saved or loaded (−1: none). */
  private snapshotGeneration = -1;
  private closed = false;
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
      `INSERT INTO records (${ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET text = excluded.text, fields = excluded.fields, meta = excluded.meta, vector = excluded.vector, checksum = excluded.checksum`,
    );
    this.deleteRow = db.prepare('DELETE FROM records WHERE id = ?');
    this.getRow = db.prepare(`SELECT ${ROW_COLUMNS} FROM records WHERE id = ?`);
    this.stateRow = db.prepare('SELECT generation, records, digest, vectors FROM store_state');
  }

  /** Opens (or creates) a store file. */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    if (typeof path !== 'string' || path === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'SqliteStore.open needs a file path.');
    const { busyTimeoutMs = 30_000, snapshots } = optionsObject(options, 'SqliteStore options');
    if (typeof busyTimeoutMs !== 'number' || !Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `busyTimeoutMs must be an integer ≥ 0, got ${describeValue(busyTimeoutMs)}.`);
    if (snapshots !== undefined && typeof snapshots !== 'boolean') throw new ChunkwiseError('INVALID_ARGUMENT', `snapshots must be true or false, got ${describeValue(snapshots)}.`);
    // Validates the index options before the file is touched.
    new IndexedRecords(options, false);
    let db: Database.Database;
    try {
      db = new SqliteDatabase(path, { timeout: busyTimeoutMs });
    } catch (error) {
      throw driverError(error, `Could not open SQLite file ${path}`);
    }
    try {
      openSchema(db, path);
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
    return this.run(() => {
      checkIterable(records, 'upsert');
      const applied: StoredRecord[] = [];
      // Validation and writes happen inside one transaction: the first bad record rolls all back.
      const after = this.write(() => {
        let dimensions = this.indexed.dimensions;
        for (const record of records) {
          const valid = this.indexed.validate(record, dimensions);
          if (valid.vector) dimensions ??= valid.vector.length;
          this.upsertRow.run(...encodeRow(valid));
          applied.push(valid);
        }
      });
      this.indexed.apply(applied);
      this.generation = after;
    });
  }

  delete(ids: readonly string[]): Promise<void> {
    return this.run(() => {
      if (!Array.isArray(ids)) throw new ChunkwiseError('INVALID_ARGUMENT', 'delete needs an array of ids.');
      const after = this.write(() => {
        this.indexed.assertAllExist(ids);
        for (const id of ids) this.deleteRow.run(id);
      });
      this.indexed.remove(ids);
      this.generation = after;
    });
  }

  get(id: string): Promise<StoredRecord | undefined> {
    return this.run(() => {
      if (typeof id !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'get needs a string id.');
      const row = this.getRow.get(id) as Row | undefined;
      return row && decodeRow(row, this.path, id);
    });
  }

  count(): Promise<number> {
    return this.run(() => {
      this.sync();
      return this.indexed.size;
    });
  }

  searchText(query: string, options?: StoreSearchOptions): Promise<ScoredId[]> {
    return this.run(() => {
      this.sync();
      return this.indexed.searchText(query, options);
    });
  }

  searchVector(vector: ArrayLike<number>, options?: StoreSearchOptions): Promise<ScoredId[]> {
    return this.run(() => {
      this.sync();
      return this.indexed.searchVector(vector, options);
    });
  }

  async *records(options?: StoreRecordsOptions): AsyncIterable<StoredRecord> {
    const batchSize = recordsBatchSize(options);
    this.assertOpen();
    // Keyset pagination on the primary key (BINARY collation: code point order).
    const page = this.db.prepare(`SELECT ${ROW_COLUMNS} FROM records WHERE id > ? ORDER BY id LIMIT ?`);
    let after = '';
    for (;;) {
      throwIfAborted(options?.signal);
      this.assertOpen();
      let rows: Row[];
      try {
        rows = page.all(after, batchSize) as Row[];
      } catch (error) {
        throw driverError(error, 'Could not read the records');
      }
      const batch = rows.map((row) => decodeRow(row, this.path));
      for (const record of batch) yield record;
      if (rows.length < batchSize) return;
      after = (rows.at(-1) as Row).id;
    }
  }

  replaceSource(source: string, records: Iterable<StoreRecord>): Promise<SourceSyncResult> {
    return this.run(() => {
      checkSource(source);
      const given = sourceRecords(source, records);
      let plan: ReturnType<typeof planSourceSync> | undefined;
      const after = this.write(() => {
        let dimensions = this.indexed.dimensions;
        const incoming = given.map((record) => {
          const valid = this.indexed.validate(record, dimensions);
          if (valid.vector) dimensions ??= valid.vector.length;
          return valid;
        });
        const before = new Map<string, StoredRecord>();
        for (const id of this.indexed.idsOfSource(source)) {
          const row = this.getRow.get(id) as Row | undefined;
          if (row) before.set(id, decodeRow(row, this.path, id));
        }
        plan = planSourceSync(source, incoming, before);
        for (const id of plan.remove) this.deleteRow.run(id);
        for (const record of plan.write) this.upsertRow.run(...encodeRow(record));
      });
      const { write, remove, result } = plan as NonNullable<typeof plan>;
      this.indexed.remove(remove);
      this.indexed.apply(write);
      this.generation = after;
      return result;
    });
  }

  sources(): Promise<string[]> {
    return this.run(() => {
      this.sync();
      return this.indexed.sources();
    });
  }

  /**
   * Saves the in-memory indexes (one transaction), so the next open loads them instead of
   * re-indexing. close() does this too; call it in long-running writers to keep reopening fast
   * after a crash. Writes of other handles are caught up first, so the snapshot reflects exactly
   * the records it is tagged with. Writes no snapshot when the saved one is current, the analyzer
   * is custom or `snapshots` is false; the change log is trimmed in every case.
   */
  checkpoint(): Promise<void> {
    return this.run(() => {
      this.write(() => {
        const tag = this.state();
        // Older changes are only needed by handles that lag far behind; those re-index.
        this.db.prepare('DELETE FROM changes WHERE generation <= ?').run(tag.generation - KEEP_CHANGES);
        if (this.options.snapshots === false || this.snapshotGeneration === tag.generation) return;
        const saved = this.db.prepare('SELECT generation FROM snapshots WHERE name = ?').get('bm25') as { generation: number } | undefined;
        if (saved?.generation === tag.generation) return;
        const snapshot = this.indexed.snapshotParts();
        if (!snapshot) return;
        writeSnapshots(this.db, snapshot, tag);
        this.snapshotGeneration = tag.generation;
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.checkpoint();
    } finally {
      this.closed = true;
      this.db.close();
    }
  }

  /**
   * Runs `fn` in an immediate write transaction after catching up with other writers; returns the
   * file's generation after it, which then reflects exactly our index plus what `fn` wrote.
   */
  private write(fn: () => void): number {
    let generation = 0;
    this.db
      .transaction(() => {
        this.sync();
        fn();
        generation = this.state().generation;
      })
      .immediate();
    return generation;
  }

  private state(): StoreState {
    return this.stateRow.get() as StoreState;
  }

  /**
   * Brings the in-memory indexes up to the file's generation: re-reads the records that other
   * writers changed since (from the change log), or everything when the log no longer reaches back
   * that far. Runs in one read transaction, so the state and the log agree.
   */
  private sync(): void {
    this.assertOpen();
    const inTransaction = this.db.inTransaction;
    const catchUp = () => {
      const state = this.state();
      if (state.generation === this.generation) return;
      const logged = state.generation > this.generation ? (this.db.prepare('SELECT count(*) AS n FROM changes WHERE generation > ?').get(this.generation) as { n: number }).n : -1;
      if (logged !== state.generation - this.generation) {
        this.reload(state);
        return;
      }
      const ids = (this.db.prepare('SELECT DISTINCT id FROM changes WHERE generation > ?').pluck().all(this.generation) as string[]).sort();
      const changed: StoredRecord[] = [];
      const gone: string[] = [];
      for (const id of ids) {
        const row = this.getRow.get(id) as Row | undefined;
        if (row) changed.push(this.indexed.validate(decodeRow(row, this.path, id), this.indexed.dimensions));
        else if (this.indexed.has(id)) gone.push(id);
      }
      this.indexed.remove(gone);
      this.indexed.apply(changed);
      if (this.indexed.size !== state.records) {
        this.reload(state);
        return;
      }
      this.generation = state.generation;
    };
    if (inTransaction) catchUp();
    else this.db.transaction(catchUp).deferred();
  }

  /**
   * Loads the indexes at open: from the saved snapshot when it is current, else from the records.
   * Reading a large snapshot through memory-mapped I/O is several times cheaper; the mapping is
   * dropped again afterwards, since a file truncated by another process while mapped would crash
   * the process instead of failing a read.
   */
  private load(): void {
    this.db.pragma(`mmap_size = ${OPEN_MMAP_BYTES}`);
    try {
      this.db
        .transaction(() => {
          const state = this.state();
          if (this.options.snapshots !== false && this.loadSnapshot(state)) return;
          this.reload(state);
        })
        .deferred();
    } finally {
      this.db.pragma('mmap_size = 0');
    }
  }

  private loadSnapshot(state: StoreState): boolean {
    const bm25 = readSnapshot(this.db, 'bm25', state);
    if (bm25.status !== 'current') return false;
    const snapshot: IndexSnapshot = { bm25: bm25.bytes };
    const hnsw = readSnapshot(this.db, 'hnsw', state);
    if (hnsw.status === 'current') snapshot.hnsw = hnsw.bytes;
    try {
      // Texts are not read at all: the BM25 snapshot carries the index and the metadata, and get()
      // reads records from the file. Flat vectors are copied from their rows; an HNSW graph is loaded.
      const vectorRows = () => (this.db.prepare(`SELECT ${ROW_COLUMNS} FROM records WHERE vector IS NOT NULL`).all() as Row[]).map((row) => decodeRow(row, this.path));
      const indexed = new IndexedRecords(this.options, false);
      indexed.restore(snapshot, state.records, state.vectors, vectorRows);
      this.indexed = indexed;
      this.indexSource = 'snapshot';
      this.generation = state.generation;
      this.snapshotGeneration = state.generation;
      return true;
    } catch (error) {
      if (!isChunkwiseError(error) || (error.code !== 'CORRUPT_DATA' && error.code !== 'INVALID_ARGUMENT')) throw error;
      // The snapshot cannot be used (other index options): index the records again.
      return false;
    }
  }

  /**
   * Indexes every record again, checking each checksum and, at the end, that the rows read are
   * exactly the ones the file counts (number and checksum sum): a row lost to damage is
   * CORRUPT_DATA, not a smaller index.
   */
  private reload(state: StoreState): void {
    const indexed = new IndexedRecords(this.options, false);
    let count = 0;
    let digest = 0;
    let batch: StoredRecord[] = [];
    for (const row of this.db.prepare(`SELECT ${ROW_COLUMNS} FROM records ORDER BY id`).iterate() as Iterable<Row>) {
      const record = decodeRow(row, this.path);
      try {
        batch.push(indexed.validate(record, indexed.dimensions ?? record.vector?.length));
      } catch (error) {
        throw new ChunkwiseError('CORRUPT_DATA', `Record "${row.id}" in ${this.path} cannot be indexed: ${(error as Error).message}`, { cause: error });
      }
      count++;
      digest = (digest + row.checksum) % 4294967296;
      if (batch.length === 1000) {
        indexed.apply(batch);
        batch = [];
      }
    }
    indexed.apply(batch);
    if (count !== state.records || digest !== state.digest) {
      throw new ChunkwiseError('CORRUPT_DATA', `${this.path} is damaged: it counts ${state.records} records, but ${count} read back${count === state.records ? ' with other checksums' : ''}. \`verifySqliteStore\` says what can be recovered.`, {
        details: { expected: state.records, read: count },
      });
    }
    this.indexed = indexed;
    this.indexSource = 'records';
    this.generation = state.generation;
  }

  private assertOpen(): void {
    if (this.closed) throw new ChunkwiseError('INVALID_ARGUMENT', `The store ${this.path} is closed.`);
  }

  private run<T>(fn: () => T): Promise<T> {
    try {
      this.assertOpen();
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(driverError(error, 'SQLite store operation failed'));
    }
  }
}

function checkIterable(records: unknown, method: string): void {
  if (records === null || typeof records !== 'object' || typeof (records as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${method} needs an iterable of records (an array, a generator).`);
  }
}

/** ChunkwiseErrors pass through; SQLite's "not a database"/"corrupt" become CORRUPT_DATA, the rest STORE. */
export function driverError(error: unknown, message: string): Error {
  if (isChunkwiseError(error)) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code) || code === 'SQLITE_IOERR_SHORT_READ') {
    return new ChunkwiseError('CORRUPT_DATA', `${message}: the file is damaged or is not a SQLite database (${code}). \`verifySqliteStore\` says what can be recovered.`, { cause: error });
  }
  return new ChunkwiseError('STORE', `${message}: ${(error as Error).message}`, { cause: error });
}
