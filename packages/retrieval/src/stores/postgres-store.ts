import { ChunkwiseError, throwIfAborted } from '@chunkwise/core';
import type { ScoredId } from '../bm25/top-k-heap.js';
import type { Analyzer, AnalyzerName } from '../analyzers/analyzer.js';
import { BM25Index } from '../bm25/bm25-index.js';
import { assertMetric, prepareVector, type Metric } from '../vector/metric.js';
import { compareCodePoints } from './code-point-order.js';
import { describeValue, optionsObject, requireArray, requireIterable, requireString } from '../argument-checks.js';
import { recordsBatchSize } from './records-options.js';
import { validateRecord } from './record-validation.js';
import { validateSearchOptions } from './search-options.js';
import { checkSource, planSourceSync, sourceRecords } from './source-sync-plan.js';
import { PgConnections, sqlState, type PgPool, type PgQueryable } from './pg-connections.js';
import type { RecordMeta, SourceSyncResult, Store, StoredRecord, StoreRecord, StoreRecordsOptions, StoreSearchOptions } from './store.js';

export type { PgPool, PgQueryable } from './pg-connections.js';

export interface PostgresStoreOptions {
  /** Table name, optionally schema-qualified (`rag.chunks`); default `chunkwise_records`. Postings and statistics go to `<table>_postings` and `<table>_bm25`. */
  table?: string;
  /** Enables a vector column: pgvector's (with an HNSW index) unless `vectorType` says `array`. */
  dimensions?: number;
  /**
   * How vectors are kept. 'pgvector' (default): a `vector(d)` column searched through an HNSW index;
   * needs the `vector` extension. 'array': a `real[]` column searched by an exact scan in SQL, for
   * servers without pgvector (Debian 12's PostgreSQL 15); fine up to some 100k records.
   */
  vectorType?: 'pgvector' | 'array';
  /** Default 'cosine'. */
  metric?: Metric;
  /** BM25 analyzer, run in JS exactly as by BM25Index: 'simple' (default), 'english', 'cjk' or a function. */
  analyzer?: Analyzer | AnalyzerName;
  /** BM25F field weights; `text` is always a field (default weight 1). */
  fields?: Record<string, number>;
  k1?: number;
  b?: number;
  /** pgvector HNSW parameters: m (default 16) and ef_construction (default 64). */
  hnsw?: { m?: number; efConstruction?: number };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A Store in PostgreSQL with exact BM25: the same analyzer as BM25Index runs in JS, its term
 * frequencies go to a postings table (term, id, field, tf) and the collection statistics (document
 * count, total field lengths) to a one-row table, all in the write's transaction. A search reads
 * df and the statistics, computes idf in JS, and lets SQL score and rank with the same float64
 * operations in the same order as BM25Index (aggregates with ORDER BY fix the summation order),
 * so scores and rankings equal the memory and SQLite stores'. With `dimensions`, pgvector with an
 * HNSW index does vector search. The same interface as the other stores, so an application that
 * outgrows one machine moves to managed or sharded Postgres without code changes.
 *
 * Any number of processes may write one table at once, and calls on one store may overlap: with a
 * single connection they queue, with a `pg.Pool` each takes its own client. Every write is one
 * READ COMMITTED transaction that learns which ids are new from its own INSERT … ON CONFLICT DO
 * NOTHING (not from an earlier read another writer could invalidate), row-locks the others before
 * reading their old lengths, and appends its exact change of the statistics as a row of
 * `<table>_bm25_delta`: no writer ever waits on a shared statistics row. Searches add the deltas
 * to the base row inside one REPEATABLE READ snapshot; writers fold them into it now and then.
 * Call `PostgresStore.open()`; it creates the tables and indexes if missing.
 */
export class PostgresStore implements Store {
  private readonly table: string;
  private readonly postings: string;
  private readonly stats: string;
  private readonly deltas: string;
  private readonly metric: Metric;
  private readonly connections: PgConnections;
  /** Validates the BM25 options and analyzes text exactly as the in-memory index does. */
  private readonly bm25: BM25Index;
  private readonly fieldNames: string[];
  private readonly declaredFields: ReadonlySet<string>;
  private readonly fieldWeights: number[];
  private readonly analyzerName: string;

  private constructor(
    client: PgQueryable | PgPool,
    private readonly options: PostgresStoreOptions,
  ) {
    if (options.table !== undefined && typeof options.table !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Table name must be a string, got ${describeValue(options.table)}.`);
    const parts = (options.table ?? 'chunkwise_records').split('.');
    if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p)) || (parts.at(-1) as string).length > 50) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Table name ${describeValue(options.table)} must be an identifier or schema.identifier (letters, digits, _; at most 50 characters).`);
    }
    const name = (suffix: string) => [...parts.slice(0, -1), `${parts.at(-1) as string}${suffix}`].map((p) => `"${p}"`).join('.');
    this.table = name('');
    this.postings = name('_postings');
    this.stats = name('_bm25');
    this.deltas = name('_bm25_delta');
    this.connections = new PgConnections(client);
    this.metric = options.metric ?? 'cosine';
    assertMetric(this.metric);
    const fields: Record<string, number> = { text: 1, ...options.fields };
    this.bm25 = new BM25Index({ fields, ...(options.analyzer !== undefined && { analyzer: options.analyzer }), ...(options.k1 !== undefined && { k1: options.k1 }), ...(options.b !== undefined && { b: options.b }) });
    this.fieldNames = Object.keys(fields);
    this.declaredFields = new Set(this.fieldNames);
    this.fieldWeights = this.fieldNames.map((f) => fields[f] as number);
    this.analyzerName = typeof options.analyzer === 'string' ? options.analyzer : options.analyzer === undefined ? 'simple' : 'custom';
    if (options.dimensions !== undefined && (typeof options.dimensions !== 'number' || !Number.isInteger(options.dimensions) || options.dimensions < 1 || options.dimensions > 16000)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `dimensions must be an integer between 1 and 16000 (pgvector's limit), got ${describeValue(options.dimensions)}.`);
    }
    if (options.vectorType !== undefined && options.vectorType !== 'pgvector' && options.vectorType !== 'array') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `vectorType must be 'pgvector' or 'array', got ${describeValue(options.vectorType)}.`);
    }
  }

  /**
   * Opens the store on one connection (a `pg.Client`, a checked-out `pg.PoolClient`, PGlite), on
   * which overlapping calls queue, or on a `pg.Pool`, from which every call checks out a client
   * so calls run in parallel. Creates the tables and indexes if missing, under an advisory lock,
   * so processes may open a new table at the same time.
   */
  static async open(client: PgQueryable | PgPool, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    if (client === null || typeof client !== 'object' || typeof (client as Partial<PgQueryable>).query !== 'function') {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'PostgresStore.open needs a connection with query(text, params): a pg.Client, a checked-out pg.PoolClient or a PGlite instance.');
    }
    const store = new PostgresStore(client, { ...optionsObject(options, 'PostgresStore options') });
    await store.migrate();
    return store;
  }

  async upsert(records: Iterable<StoreRecord>): Promise<void> {
    // The last occurrence of an id in a batch wins, as with successive upserts.
    const byId = new Map<string, AnalyzedRecord>();
    for (const record of requireIterable<StoreRecord>(records, 'The records')) {
      const valid = this.analyzeRecord(this.validate(record));
      byId.delete(valid.id);
      byId.set(valid.id, valid);
    }
    if (byId.size === 0) return;
    await this.writeTransaction((q) => this.write(q, [...byId.values()]));
  }

  async delete(ids: readonly string[]): Promise<void> {
    for (const id of requireArray<unknown>(ids, 'The ids to delete')) requireString(id, 'Each id to delete');
    await this.writeTransaction(async (q) => {
      const unique = [...new Set(ids)];
      const previous = await this.lockLengths(q, unique);
      const missing = ids.find((id) => !previous.has(id));
      if (missing !== undefined) throw new ChunkwiseError('NOT_FOUND', `No record with id "${missing}" to delete; nothing was deleted.`, { details: { id: missing } });
      return this.deleteLocked(q, unique, previous);
    });
  }

  async get(id: string): Promise<StoredRecord | undefined> {
    requireString(id, 'The id');
    const { rows } = await this.query(`SELECT ${this.columns} FROM ${this.table} WHERE id = $1`, [id]);
    const row = rows[0] as Row | undefined;
    return row && decodeRow(row);
  }

  /** The document count of the BM25 statistics: exact, and read without scanning the table. */
  async count(): Promise<number> {
    return this.connections.transaction(async (q) => (await this.readStats(q)).documents, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  /**
   * Exact BM25 (BM25F with several fields), ranked by score then id (C collation): equal to
   * BM25Index's hits on the same records and options. One read-only snapshot for the statistics
   * and the scoring, so a concurrent write never mixes in.
   */
  async searchText(query: string, options?: StoreSearchOptions): Promise<ScoredId[]> {
    const { k, filter } = validateSearchOptions(options);
    if (typeof query !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'The query must be a string.');
    const tokens = this.bm25.analyzeQuery(query);
    if (tokens.length === 0) return [];
    const qtf = new Map<string, number>();
    for (const token of tokens) qtf.set(token, (qtf.get(token) ?? 0) + 1);
    return this.connections.transaction(async (q) => {
      const { documents: N, lengths } = await this.readStats(q);
      if (N === 0) return [];
      const { rows } = await this.run(q, `SELECT term, count(DISTINCT id)::int AS df FROM ${this.postings} WHERE term = ANY($1::text[]) GROUP BY term`, [[...qtf.keys()]]);
      const dfOf = new Map((rows as { term: string; df: number }[]).map((r) => [r.term, Number(r.df)]));
      // BM25Index's plan: known terms with qtf·idf, by weight descending, ties in query order.
      const plan = [...qtf]
        .filter(([term]) => (dfOf.get(term) ?? 0) > 0)
        .map(([term, count]) => {
          const df = dfOf.get(term) as number;
          return { term, weight: count * Math.log(1 + (N - df + 0.5) / (df + 0.5)) };
        })
        .sort((a, b) => b.weight - a.weight);
      if (plan.length === 0) return [];
      const avg = lengths.map((total) => total / N);
      const { k1, b } = this.bm25;
      const params = [plan.map((p) => p.term), plan.map((p) => p.weight), JSON.stringify(filter ?? {}), k, k1, k1 + 1, 1 - b, b, avg, this.fieldWeights];
      // $1 terms, $2 weights, $3 filter, $4 k, $5 k1, $6 k1+1, $7 1−b, $8 b, $9 avg lengths, $10 field weights.
      const scored =
        this.fieldNames.length === 1
          ? `SELECT p.id, sum(
               (q.w * (($10::float8[])[1] * p.tf * $6::float8)) / (($10::float8[])[1] * p.tf + $5::float8 * ($7::float8 + ($8::float8 * r.lengths[1]) / ($9::float8[])[1]))
               ORDER BY q.ord) AS score
             FROM q JOIN ${this.postings} p ON p.term = q.term JOIN ${this.table} r ON r.id = p.id
             WHERE r.meta @> $3::jsonb GROUP BY p.id`
          : `SELECT id, sum(w * ((c * $6::float8) / (c + $5::float8)) ORDER BY ord) AS score FROM (
               SELECT p.id, q.ord, q.w, sum(
                 (($10::float8[])[p.field + 1] * p.tf) / ($7::float8 + ($8::float8 * r.lengths[p.field + 1]) / ($9::float8[])[p.field + 1])
                 ORDER BY p.field) AS c
               FROM q JOIN ${this.postings} p ON p.term = q.term JOIN ${this.table} r ON r.id = p.id
               WHERE r.meta @> $3::jsonb GROUP BY p.id, q.ord, q.w) per_term
             GROUP BY id`;
      const { rows: hits } = await this.run(
        q,
        `WITH q AS (SELECT term, w, ord FROM unnest($1::text[], $2::float8[]) WITH ORDINALITY AS u(term, w, ord))
         SELECT id, score FROM (${scored}) s ORDER BY score DESC, id COLLATE "C" LIMIT $4`,
        params,
      );
      return (hits as { id: string; score: number }[]).map((r) => ({ id: r.id, score: Number(r.score) }));
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async searchVector(vector: ArrayLike<number>, options?: StoreSearchOptions): Promise<ScoredId[]> {
    const { k, filter } = validateSearchOptions(options);
    const dimensions = this.options.dimensions;
    if (dimensions === undefined) throw new ChunkwiseError('UNSUPPORTED', 'This PostgresStore was opened without `dimensions`, so it has no vector column.');
    const prepared = prepareVector(vector, dimensions, this.metric, 'The query vector');
    if (this.options.vectorType === 'array') return this.scanVectors(prepared, k, filter);
    const operator = this.metric === 'cosine' ? '<=>' : this.metric === 'dot' ? '<#>' : '<->';
    const { rows } = await this.query(
      `SELECT id, (embedding ${operator} $1::vector)::float8 AS distance FROM ${this.table}
       WHERE embedding IS NOT NULL AND meta @> $2::jsonb ORDER BY embedding ${operator} $1::vector, id LIMIT $3`,
      [vectorLiteral(vector), JSON.stringify(filter ?? {}), k],
    );
    // Turn pgvector distances back into higher-is-better scores matching VectorIndex.
    return (rows as { id: string; distance: number }[]).map((r) => {
      const d = Number(r.distance);
      return { id: r.id, score: this.metric === 'cosine' ? 1 - d : -d };
    });
  }

  async *records(options?: StoreRecordsOptions): AsyncIterable<StoredRecord> {
    const batchSize = recordsBatchSize(options);
    // Keyset pagination in the C collation (code point order), served by the <table>_id_c index.
    let after = '';
    for (;;) {
      throwIfAborted(options?.signal);
      const { rows } = await this.query(`SELECT ${this.columns} FROM ${this.table} WHERE id COLLATE "C" > $1 ORDER BY id COLLATE "C" LIMIT $2`, [after, batchSize]);
      for (const row of rows as Row[]) yield decodeRow(row);
      if (rows.length < batchSize) return;
      after = (rows.at(-1) as Row).id;
    }
  }

  /**
   * One transaction that holds an advisory lock on (table, source): two writers replacing the same
   * source (a job run twice) take turns, and the second finds the first's records and writes
   * nothing where they are equal.
   */
  async replaceSource(source: string, records: Iterable<StoreRecord>): Promise<SourceSyncResult> {
    checkSource(source);
    const incoming = sourceRecords(source, records).map((record) => storedForm(this.validate(record)));
    return this.writeTransaction(async (q) => {
      await this.run(q, 'SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [this.table, source]);
      const { rows } = await this.run(q, `SELECT ${this.columns} FROM ${this.table} WHERE meta->>'source' = $1 AND jsonb_typeof(meta->'source') = 'string' ORDER BY id COLLATE "C" FOR UPDATE`, [source]);
      const before = new Map((rows as Row[]).map((row) => [row.id, decodeRow(row)]));
      const plan = planSourceSync(source, incoming, before);
      const change = new StatsChange(this.fieldNames.length);
      if (plan.remove.length > 0) change.add(await this.deleteLocked(q, plan.remove, await this.lockLengths(q, plan.remove)));
      if (plan.write.length > 0) change.add(await this.write(q, plan.write.map((record) => this.analyzeRecord(record))));
      return { result: plan.result, change };
    });
  }

  async sources(): Promise<string[]> {
    const { rows } = await this.query(`SELECT DISTINCT meta->>'source' AS source FROM ${this.table} WHERE jsonb_typeof(meta->'source') = 'string'`);
    return (rows as { source: string }[]).map((row) => row.source).sort(compareCodePoints);
  }

  /** The store does not own the connection or pool: closing it is the caller's job. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Creates what is missing in one transaction under an advisory lock on the table's name, so
   * processes opening a new table at once do not race on CREATE TABLE (or CREATE EXTENSION).
   */
  private async migrate(): Promise<void> {
    const dims = this.options.dimensions;
    const pgvector = dims !== undefined && this.options.vectorType !== 'array';
    const indexBase = (this.options.table ?? 'chunkwise_records').replace('.', '_');
    const indexName = (suffix: string) => `"${`${indexBase}_${suffix}`.slice(0, 63)}"`;
    await this.connections.transaction(async (q) => {
      if (pgvector) {
        await this.run(q, "SELECT pg_advisory_xact_lock(hashtext('chunkwise:create extension vector'))");
        await this.run(q, 'CREATE EXTENSION IF NOT EXISTS vector');
      }
      await this.run(q, 'SELECT pg_advisory_xact_lock(hashtext($1))', [`chunkwise:migrate ${this.table}`]);
      const embedding = dims === undefined ? '' : `, embedding ${pgvector ? `vector(${dims})` : 'real[]'}`;
      await this.run(q, `CREATE TABLE IF NOT EXISTS ${this.table} (id text PRIMARY KEY, text text NOT NULL, fields jsonb, meta jsonb NOT NULL DEFAULT '{}', lengths float8[] NOT NULL${embedding})`);
      await this.run(q, `CREATE TABLE IF NOT EXISTS ${this.postings} (term text NOT NULL, id text NOT NULL, field int2 NOT NULL, tf float8 NOT NULL, PRIMARY KEY (term, id, field))`);
      await this.run(q, `CREATE INDEX IF NOT EXISTS ${indexName('postings_id')} ON ${this.postings} (id)`);
      // records() pages in code point order; replaceSource() finds a source's records.
      await this.run(q, `CREATE INDEX IF NOT EXISTS ${indexName('id_c')} ON ${this.table} (id COLLATE "C")`);
      await this.run(q, `CREATE INDEX IF NOT EXISTS ${indexName('source')} ON ${this.table} ((meta->>'source'))`);
      await this.run(q, `CREATE TABLE IF NOT EXISTS ${this.stats} (one boolean PRIMARY KEY DEFAULT true CHECK (one), documents bigint NOT NULL, lengths float8[] NOT NULL, analyzer text NOT NULL, fields text[] NOT NULL)`);
      const { rows: hadDeltas } = await this.run(q, 'SELECT to_regclass($1) IS NOT NULL AS present', [this.deltas]);
      await this.run(q, `CREATE TABLE IF NOT EXISTS ${this.deltas} (seq bigserial PRIMARY KEY, documents bigint NOT NULL, lengths float8[] NOT NULL)`);
      const { rows } = await this.run(q, `SELECT analyzer, fields FROM ${this.stats} FOR UPDATE`);
      const current = rows[0] as { analyzer: string; fields: string[] } | undefined;
      if (current && current.analyzer === this.analyzerName && current.fields.join('\u0000') === this.fieldNames.join('\u0000')) {
        // Tables written before the delta table existed kept their statistics by difference, which
        // concurrent writers could corrupt (issue 18): count them once from the records.
        if (!(hadDeltas[0] as { present: boolean }).present) await this.recountStats(q);
        return;
      }
      // New table, or the records were indexed with another analyzer or other fields: index them again.
      await this.run(q, `DELETE FROM ${this.stats}`);
      await this.run(q, `INSERT INTO ${this.stats} (documents, lengths, analyzer, fields) VALUES (0, $1::float8[], $2, $3::text[])`, [this.fieldNames.map(() => 0), this.analyzerName, this.fieldNames]);
      await this.run(q, `DELETE FROM ${this.postings}`);
      const { rows: existing } = await this.run(q, `SELECT id, text, fields, meta FROM ${this.table}`);
      const records = (existing as { id: string; text: string; fields: Record<string, string> | null; meta: RecordMeta }[]).map((row) =>
        this.analyzeRecord({ id: row.id, text: row.text, ...(row.fields && { fields: row.fields }), meta: row.meta }),
      );
      if (records.length > 0) {
        await this.run(q, `UPDATE ${this.table} r SET lengths = u.lengths::float8[] FROM unnest($1::text[], $2::text[]) AS u(id, lengths) WHERE r.id = u.id`, [records.map((r) => r.id), records.map((r) => `{${r.lengths.join(',')}}`)]);
        await this.insertPostings(q, records);
      }
      await this.recountStats(q);
    });
    if (pgvector) {
      const ops = this.metric === 'cosine' ? 'vector_cosine_ops' : this.metric === 'dot' ? 'vector_ip_ops' : 'vector_l2_ops';
      const { m = 16, efConstruction = 64 } = this.options.hnsw ?? {};
      if (!Number.isInteger(m) || !Number.isInteger(efConstruction)) throw new ChunkwiseError('INVALID_ARGUMENT', 'hnsw.m and hnsw.efConstruction must be integers.');
      await this.connections.transaction(async (q) => {
        await this.run(q, 'SELECT pg_advisory_xact_lock(hashtext($1))', [`chunkwise:migrate ${this.table}`]);
        await this.run(q, `CREATE INDEX IF NOT EXISTS ${indexName('hnsw')} ON ${this.table} USING hnsw (embedding ${ops}) WITH (m = ${m}, ef_construction = ${efConstruction})`);
      });
    }
  }

  /** Sets the base statistics from the records themselves (an O(N) scan: migrations only). */
  private async recountStats(q: PgQueryable): Promise<void> {
    const sums = this.fieldNames.map((_, f) => `coalesce(sum(lengths[${f + 1}]), 0)`).join(', ');
    await this.run(q, `DELETE FROM ${this.deltas}`);
    await this.run(q, `UPDATE ${this.stats} SET (documents, lengths) = (SELECT count(*), ARRAY[${sums}]::float8[] FROM ${this.table})`);
  }

  /** Tokens per field, as BM25Index counts them. */
  private analyzeRecord(record: StoreRecord): AnalyzedRecord {
    const doc: Record<string, string> = { ...record.fields, text: record.text };
    const lengths: number[] = [];
    const terms: string[] = [];
    const fields: number[] = [];
    const tfs: number[] = [];
    this.fieldNames.forEach((name, f) => {
      const text = doc[name];
      if (text !== undefined && typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Field "${name}" of record "${record.id}" must be a string.`);
      const tokens = text === undefined ? [] : this.bm25.analyzeQuery(text);
      lengths.push(tokens.length);
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [term, tf] of counts) {
        terms.push(term);
        fields.push(f);
        tfs.push(tf);
      }
    });
    return { record, id: record.id, lengths, terms, fields, tfs };
  }

  /**
   * Writes analyzed records (unique ids) with their postings and returns the change of the
   * statistics. Which ids are new is decided by the INSERT itself: ON CONFLICT DO NOTHING waits
   * for a concurrent inserter of the same id and then reports the conflict, so exactly one
   * transaction counts an id as new. The rest are row-locked before their old lengths are read.
   * Ids go in code point order so that two writers lock shared rows in the same order.
   */
  private async write(q: PgQueryable, records: AnalyzedRecord[]): Promise<StatsChange> {
    const sorted = [...records].sort((a, b) => compareCodePoints(a.id, b.id));
    const byId = new Map(sorted.map((r) => [r.id, r]));
    const previous = new Map<string, number[]>();
    let inserted = 0;
    let pending = sorted.map((r) => r.id);
    // A row found at INSERT time may be deleted by another transaction before we lock it: then
    // it is new again. Each round leaves fewer pending ids; a few rounds at most in practice.
    for (let round = 0; pending.length > 0; round++) {
      if (round === 20) throw new ChunkwiseError('STORE', 'Postgres: records kept being inserted and deleted by other writers while this upsert ran; try again.');
      const { rows: added } = await this.insertRows(q, pending.map((id) => byId.get(id) as AnalyzedRecord));
      const fresh = new Set((added as { id: string }[]).map((r) => r.id));
      inserted += fresh.size;
      const existing = pending.filter((id) => !fresh.has(id));
      if (existing.length === 0) break;
      const locked = await this.lockLengths(q, existing);
      for (const [id, lengths] of locked) previous.set(id, lengths);
      pending = existing.filter((id) => !locked.has(id));
    }
    if (previous.size > 0) {
      const old = sorted.filter((r) => previous.has(r.id));
      const dims = this.options.dimensions;
      await this.run(
        q,
        `UPDATE ${this.table} r SET text = u.text, fields = u.fields::jsonb, meta = u.meta::jsonb, lengths = u.lengths::float8[]${dims ? `, embedding = u.embedding::${this.vectorCast}` : ''}
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]${dims ? ', $6::text[]' : ''}) AS u(id, text, fields, meta, lengths${dims ? ', embedding' : ''})
         WHERE r.id = u.id`,
        this.rowParams(old),
      );
      await this.run(q, `DELETE FROM ${this.postings} WHERE id = ANY($1::text[])`, [old.map((r) => r.id)]);
    }
    await this.insertPostings(q, sorted);
    const change = new StatsChange(this.fieldNames.length);
    change.documents = inserted;
    for (const r of sorted) change.addLengths(r.lengths, 1);
    for (const lengths of previous.values()) change.addLengths(lengths, -1);
    return change;
  }

  /** INSERT … ON CONFLICT DO NOTHING RETURNING id: the ids this transaction created. */
  private insertRows(q: PgQueryable, records: AnalyzedRecord[]): Promise<{ rows: unknown[] }> {
    const dims = this.options.dimensions;
    return this.run(
      q,
      `INSERT INTO ${this.table} (id, text, fields, meta, lengths${dims ? ', embedding' : ''})
       SELECT id, text, fields::jsonb, meta::jsonb, lengths::float8[]${dims ? `, embedding::${this.vectorCast}` : ''}
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]${dims ? ', $6::text[]' : ''}) WITH ORDINALITY AS u(id, text, fields, meta, lengths${dims ? ', embedding' : ''}, ord)
       ORDER BY ord
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      this.rowParams(records),
    );
  }

  private rowParams(records: AnalyzedRecord[]): unknown[] {
    const dims = this.options.dimensions;
    const literal = this.options.vectorType === 'array' ? arrayLiteral : vectorLiteral;
    return [
      records.map((r) => r.id),
      records.map((r) => r.record.text),
      records.map((r) => (r.record.fields ? JSON.stringify(r.record.fields) : null)),
      records.map((r) => JSON.stringify(r.record.meta ?? {})),
      records.map((r) => `{${r.lengths.join(',')}}`),
      ...(dims ? [records.map((r) => (r.record.vector ? literal(r.record.vector) : null))] : []),
    ];
  }

  private async insertPostings(q: PgQueryable, records: AnalyzedRecord[]): Promise<void> {
    await this.run(q, `INSERT INTO ${this.postings} (term, id, field, tf) SELECT * FROM unnest($1::text[], $2::text[], $3::int2[], $4::float8[])`, [
      records.flatMap((r) => r.terms),
      records.flatMap((r) => r.terms.map(() => r.id)),
      records.flatMap((r) => r.fields),
      records.flatMap((r) => r.tfs),
    ]);
  }

  /** Deletes locked records (`previous`: their field lengths) with their postings; returns the change of the statistics. */
  private async deleteLocked(q: PgQueryable, ids: string[], previous: Map<string, number[]>): Promise<StatsChange> {
    await this.run(q, `DELETE FROM ${this.postings} WHERE id = ANY($1::text[])`, [ids]);
    await this.run(q, `DELETE FROM ${this.table} WHERE id = ANY($1::text[])`, [ids]);
    const change = new StatsChange(this.fieldNames.length);
    change.documents = -previous.size;
    for (const lengths of previous.values()) change.addLengths(lengths, -1);
    return change;
  }

  /** The columns get() and records() read. */
  private get columns(): string {
    return `id, text, fields, meta${this.options.dimensions ? ', embedding::text AS embedding' : ''}`;
  }

  private get vectorCast(): string {
    return this.options.vectorType === 'array' ? 'real[]' : 'vector';
  }

  /** Locks the given records in code point order and returns their field lengths (absent ids are not in the map). */
  private async lockLengths(q: PgQueryable, ids: string[]): Promise<Map<string, number[]>> {
    const { rows } = await this.run(q, `SELECT id, lengths FROM ${this.table} WHERE id = ANY($1::text[]) ORDER BY id COLLATE "C" FOR UPDATE`, [ids]);
    return new Map((rows as { id: string; lengths: number[] }[]).map((r) => [r.id, r.lengths.map(Number)]));
  }

  /**
   * A write transaction: `fn` does the writes and returns the change of the statistics (alone or
   * with a result), which goes in as one appended delta row, the transaction's last statement.
   * Appending takes no lock anyone else waits for. Every 64th delta folds the deltas into the base
   * row afterwards, so a search reads few rows.
   */
  private async writeTransaction<T>(fn: (q: PgQueryable) => Promise<StatsChange | { result: T; change: StatsChange }>): Promise<T> {
    const { result, seq } = await this.connections.transaction(async (q) => {
      const out = await fn(q);
      const { result, change } = out instanceof StatsChange ? { result: undefined as T, change: out } : out;
      if (change.isZero()) return { result, seq: 0 };
      const { rows } = await this.run(q, `INSERT INTO ${this.deltas} (documents, lengths) VALUES ($1, $2::float8[]) RETURNING seq`, [change.documents, change.lengths]);
      return { result, seq: Number((rows[0] as { seq: number | string }).seq) };
    });
    if (seq > 0 && seq % 64 === 0) await this.foldDeltas().catch(() => undefined);
    return result;
  }

  /**
   * Adds the committed delta rows to the base row and deletes them, in one transaction. Two folds
   * at once are safe: a delta row deleted by one is skipped by the other's DELETE.
   */
  private foldDeltas(): Promise<void> {
    const sums = this.fieldNames.map((_, f) => `lengths[${f + 1}] + (SELECT coalesce(sum(g.lengths[${f + 1}]), 0) FROM gone g)`).join(', ');
    return this.connections.transaction(async (q) => {
      await this.run(q, `WITH gone AS (DELETE FROM ${this.deltas} RETURNING documents, lengths) UPDATE ${this.stats} SET documents = documents + (SELECT coalesce(sum(documents), 0) FROM gone), lengths = ARRAY[${sums}]::float8[]`);
    });
  }

  /** N and the total length per field: the base row plus every committed delta, in the caller's snapshot. */
  private async readStats(q: PgQueryable): Promise<{ documents: number; lengths: number[] }> {
    const sums = this.fieldNames.map((_, f) => `s.lengths[${f + 1}] + coalesce((SELECT sum(d.lengths[${f + 1}]) FROM ${this.deltas} d), 0)`).join(', ');
    const { rows } = await this.run(q, `SELECT (s.documents + coalesce((SELECT sum(d.documents) FROM ${this.deltas} d), 0))::float8 AS documents, ARRAY[${sums}]::float8[] AS lengths FROM ${this.stats} s`);
    const row = rows[0] as { documents: number; lengths: number[] } | undefined;
    return { documents: Number(row?.documents ?? 0), lengths: (row?.lengths ?? this.fieldNames.map(() => 0)).map(Number) };
  }

  /** Exact vector scan in SQL for `vectorType: 'array'`, scored as VectorIndex scores. */
  private async scanVectors(query: Float32Array, k: number, filter: RecordMeta | undefined): Promise<ScoredId[]> {
    const dot = 'SELECT sum(a::float8 * b) FROM unnest(embedding, $1::float8[]) AS u(a, b)';
    const score =
      this.metric === 'dot'
        ? `(${dot})`
        : this.metric === 'cosine'
          ? `(${dot}) / nullif(sqrt((SELECT sum(a::float8 * a) FROM unnest(embedding) AS u(a))), 0)`
          : `-sqrt((SELECT sum((a::float8 - b) * (a::float8 - b)) FROM unnest(embedding, $1::float8[]) AS u(a, b)))`;
    const { rows } = await this.query(
      `SELECT id, score FROM (SELECT id, ${score} AS score FROM ${this.table} WHERE embedding IS NOT NULL AND meta @> $2::jsonb) s
       WHERE score IS NOT NULL ORDER BY score DESC, id COLLATE "C" LIMIT $3`,
      [Array.from(query), JSON.stringify(filter ?? {}), k],
    );
    return (rows as { id: string; score: number }[]).map((r) => ({ id: r.id, score: Number(r.score) }));
  }

  private validate(record: StoreRecord): StoreRecord {
    const valid = validateRecord(record, this.declaredFields);
    if (valid.vector !== undefined) {
      if (this.options.dimensions === undefined) throw new ChunkwiseError('UNSUPPORTED', `Record "${valid.id}" has a vector, but the store was opened without \`dimensions\`.`);
      prepareVector(valid.vector, this.options.dimensions, this.metric, `Vector of record "${valid.id}"`);
    }
    return valid;
  }

  /** One statement outside a transaction, on a connection of its own turn. */
  private query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> {
    return this.connections.use((q) => this.run(q, text, params));
  }

  /** One statement on the given connection; driver errors become STORE (the SQLSTATE stays in `cause`). */
  private async run(q: PgQueryable, text: string, params?: unknown[]): Promise<{ rows: unknown[] }> {
    try {
      return await q.query(text, params);
    } catch (error) {
      if (error instanceof ChunkwiseError) throw error;
      const state = sqlState(error);
      throw new ChunkwiseError('STORE', `Postgres query failed: ${(error as Error).message}`, { cause: error, ...(state !== undefined && { details: { sqlState: state } }) });
    }
  }
}

/** How one write transaction moves N and the total length of each field. */
class StatsChange {
  documents = 0;
  readonly lengths: number[];

  constructor(fields: number) {
    this.lengths = new Array<number>(fields).fill(0);
  }

  addLengths(lengths: readonly number[], sign: number): void {
    for (let f = 0; f < this.lengths.length; f++) this.lengths[f] = (this.lengths[f] as number) + sign * (lengths[f] ?? 0);
  }

  add(other: StatsChange): void {
    this.documents += other.documents;
    this.addLengths(other.lengths, 1);
  }

  isZero(): boolean {
    return this.documents === 0 && this.lengths.every((value) => value === 0);
  }
}

interface Row {
  id: string;
  text: string;
  fields: Record<string, string> | null;
  meta: RecordMeta | null;
  embedding?: string | null;
}

function decodeRow(row: Row): StoredRecord {
  const record: StoredRecord = { id: row.id, text: row.text };
  if (row.fields) record.fields = row.fields;
  if (row.meta && Object.keys(row.meta).length > 0) record.meta = row.meta;
  // pgvector prints [1,2,3], real[] prints {1,2,3}.
  if (row.embedding) record.vector = Float32Array.from(JSON.parse(row.embedding.replace(/^\{(.*)\}$/, '[$1]')) as number[]);
  return record;
}

/** A validated record as the store reads it back (vector as float32), to compare with stored ones. */
function storedForm(record: StoreRecord): StoredRecord {
  const { vector, ...rest } = record;
  return vector === undefined ? rest : { ...rest, vector: Float32Array.from(vector) };
}

function vectorLiteral(vector: ArrayLike<number>): string {
  return `[${Array.from(vector).join(',')}]`;
}

function arrayLiteral(vector: ArrayLike<number>): string {
  return `{${Array.from(vector).join(',')}}`;
}

interface AnalyzedRecord {
  record: StoreRecord;
  id: string;
  /** Tokens per field, in field order. */
  lengths: number[];
  /** Postings of the record: term, field index and tf, aligned. */
  terms: string[];
  fields: number[];
  tfs: number[];
}
