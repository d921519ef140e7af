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
import type { RecordMeta, SourceSyncResult, Store, StoredRecord, StoreRecord, StoreRecordsOptions, StoreSearchOptions } from './store.js';

/**
 * Anything with `query(text, params)` resolving to `{ rows }`: a `pg.Client`, a checked-out
 * `pg.PoolClient`, or a PGlite instance. It must be one connection, since writes run as
 * BEGIN … COMMIT on it (a `pg.Pool` would spread them over several connections).
 */
export interface PgQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface PostgresStoreOptions {
  /** Table name, optionally schema-qualified (`rag.chunks`); default `chunkwise_records`. Postings and statistics go to `<table>_postings` and `<table>_bm25`. */
  table?: string;
  /** Enables the pgvector column and its HNSW index; needs the `vector` extension. */
  dimensions?: number;
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
 * Call `PostgresStore.open()`; it creates the tables and indexes if missing.
 */
export class PostgresStore implements Store {
  private readonly table: string;
  private readonly postings: string;
  private readonly stats: string;
  private readonly metric: Metric;
  /** Validates the BM25 options and analyzes text exactly as the in-memory index does. */
  private readonly bm25: BM25Index;
  private readonly fieldNames: string[];
  private readonly declaredFields: ReadonlySet<string>;
  private readonly fieldWeights: number[];
  private readonly analyzerName: string;

  private constructor(
    private readonly client: PgQueryable,
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
  }

  static async open(client: PgQueryable, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
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
    await this.transaction(() => this.write([...byId.values()]));
  }

  async delete(ids: readonly string[]): Promise<void> {
    for (const id of requireArray<unknown>(ids, 'The ids to delete')) requireString(id, 'Each id to delete');
    await this.transaction(async () => {
      const unique = [...new Set(ids)];
      const previous = await this.lockLengths(unique);
      const missing = ids.find((id) => !previous.has(id));
      if (missing !== undefined) throw new ChunkwiseError('NOT_FOUND', `No record with id "${missing}" to delete; nothing was deleted.`, { details: { id: missing } });
      await this.deleteLocked(unique, previous);
    });
  }

  async get(id: string): Promise<StoredRecord | undefined> {
    requireString(id, 'The id');
    const { rows } = await this.query(`SELECT ${this.columns} FROM ${this.table} WHERE id = $1`, [id]);
    const row = rows[0] as Row | undefined;
    return row && decodeRow(row);
  }

  async count(): Promise<number> {
    const { rows } = await this.query(`SELECT count(*)::int AS n FROM ${this.table}`);
    return (rows[0] as { n: number }).n;
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
    return this.transaction(async () => {
      const { rows } = await this.query(
        `SELECT s.documents::float8 AS documents, s.lengths, d.term, d.df FROM ${this.stats} s
         LEFT JOIN (SELECT term, count(DISTINCT id)::int AS df FROM ${this.postings} WHERE term = ANY($1::text[]) GROUP BY term) d ON true`,
        [[...qtf.keys()]],
      );
      const stats = rows as { documents: number; lengths: number[]; term: string | null; df: number | null }[];
      const N = Number(stats[0]?.documents ?? 0);
      if (N === 0) return [];
      const dfOf = new Map(stats.filter((r) => r.term !== null).map((r) => [r.term as string, Number(r.df)]));
      // BM25Index's plan: known terms with qtf·idf, by weight descending, ties in query order.
      const plan = [...qtf]
        .filter(([term]) => (dfOf.get(term) ?? 0) > 0)
        .map(([term, count]) => {
          const df = dfOf.get(term) as number;
          return { term, weight: count * Math.log(1 + (N - df + 0.5) / (df + 0.5)) };
        })
        .sort((a, b) => b.weight - a.weight);
      if (plan.length === 0) return [];
      const avg = (stats[0]?.lengths ?? []).map((total) => Number(total) / N);
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
      const { rows: hits } = await this.query(
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
    prepareVector(vector, dimensions, this.metric, 'The query vector');
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

  async replaceSource(source: string, records: Iterable<StoreRecord>): Promise<SourceSyncResult> {
    checkSource(source);
    const incoming = sourceRecords(source, records).map((record) => storedForm(this.validate(record)));
    return this.transaction(async () => {
      const { rows } = await this.query(`SELECT ${this.columns} FROM ${this.table} WHERE meta->>'source' = $1 AND jsonb_typeof(meta->'source') = 'string' FOR UPDATE`, [source]);
      const before = new Map((rows as Row[]).map((row) => [row.id, decodeRow(row)]));
      const plan = planSourceSync(source, incoming, before);
      if (plan.remove.length > 0) await this.deleteLocked(plan.remove, await this.lockLengths(plan.remove));
      if (plan.write.length > 0) await this.write(plan.write.map((record) => this.analyzeRecord(record)));
      return plan.result;
    });
  }

  async sources(): Promise<string[]> {
    const { rows } = await this.query(`SELECT DISTINCT meta->>'source' AS source FROM ${this.table} WHERE jsonb_typeof(meta->'source') = 'string'`);
    return (rows as { source: string }[]).map((row) => row.source).sort(compareCodePoints);
  }

  /** The store does not own the connection: closing it is the caller's job. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  private async migrate(): Promise<void> {
    const dims = this.options.dimensions;
    const indexBase = (this.options.table ?? 'chunkwise_records').replace('.', '_');
    const indexName = (suffix: string) => `"${`${indexBase}_${suffix}`.slice(0, 63)}"`;
    if (dims) await this.query('CREATE EXTENSION IF NOT EXISTS vector');
    await this.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (id text PRIMARY KEY, text text NOT NULL, fields jsonb, meta jsonb NOT NULL DEFAULT '{}', lengths float8[] NOT NULL${dims ? `, embedding vector(${dims})` : ''})`,
    );
    await this.query(`CREATE TABLE IF NOT EXISTS ${this.postings} (term text NOT NULL, id text NOT NULL, field int2 NOT NULL, tf float8 NOT NULL, PRIMARY KEY (term, id, field))`);
    await this.query(`CREATE INDEX IF NOT EXISTS ${indexName('postings_id')} ON ${this.postings} (id)`);
    // records() pages in code point order; replaceSource() finds a source's records.
    await this.query(`CREATE INDEX IF NOT EXISTS ${indexName('id_c')} ON ${this.table} (id COLLATE "C")`);
    await this.query(`CREATE INDEX IF NOT EXISTS ${indexName('source')} ON ${this.table} ((meta->>'source'))`);
    await this.query(`CREATE TABLE IF NOT EXISTS ${this.stats} (one boolean PRIMARY KEY DEFAULT true CHECK (one), documents bigint NOT NULL, lengths float8[] NOT NULL, analyzer text NOT NULL, fields text[] NOT NULL)`);
    await this.transaction(async () => {
      const { rows } = await this.query(`SELECT analyzer, fields FROM ${this.stats} FOR UPDATE`);
      const current = rows[0] as { analyzer: string; fields: string[] } | undefined;
      if (current && current.analyzer === this.analyzerName && current.fields.join('\u0000') === this.fieldNames.join('\u0000')) return;
      // New table, or the records were indexed with another analyzer or other fields: index them again.
      await this.query(`DELETE FROM ${this.stats}`);
      await this.query(`INSERT INTO ${this.stats} (documents, lengths, analyzer, fields) VALUES (0, $1::float8[], $2, $3::text[])`, [this.fieldNames.map(() => 0), this.analyzerName, this.fieldNames]);
      await this.query(`DELETE FROM ${this.postings}`);
      const { rows: existing } = await this.query(`SELECT id, text, fields, meta FROM ${this.table}`);
      const records = (existing as { id: string; text: string; fields: Record<string, string> | null; meta: RecordMeta }[]).map((row) =>
        this.analyzeRecord({ id: row.id, text: row.text, ...(row.fields && { fields: row.fields }), meta: row.meta }),
      );
      if (records.length > 0) await this.write(records, true);
    });
    if (dims) {
      const ops = this.metric === 'cosine' ? 'vector_cosine_ops' : this.metric === 'dot' ? 'vector_ip_ops' : 'vector_l2_ops';
      const { m = 16, efConstruction = 64 } = this.options.hnsw ?? {};
      if (!Number.isInteger(m) || !Number.isInteger(efConstruction)) throw new ChunkwiseError('INVALID_ARGUMENT', 'hnsw.m and hnsw.efConstruction must be integers.');
      await this.query(`CREATE INDEX IF NOT EXISTS ${indexName('hnsw')} ON ${this.table} USING hnsw (embedding ${ops}) WITH (m = ${m}, ef_construction = ${efConstruction})`);
    }
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

  /** Writes analyzed records (unique ids) with their postings, and moves the statistics by the difference. */
  private async write(records: AnalyzedRecord[], rowsExist = false): Promise<void> {
    const ids = records.map((r) => r.id);
    const previous = rowsExist ? new Map<string, number[]>() : await this.lockLengths(ids);
    const dims = this.options.dimensions;
    if (!rowsExist) {
      await this.query(
        `INSERT INTO ${this.table} (id, text, fields, meta, lengths${dims ? ', embedding' : ''})
         SELECT id, text, fields::jsonb, meta::jsonb, lengths::float8[]${dims ? ', embedding::vector' : ''}
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]${dims ? ', $6::text[]' : ''}) AS u(id, text, fields, meta, lengths${dims ? ', embedding' : ''})
         ON CONFLICT (id) DO UPDATE SET text = excluded.text, fields = excluded.fields, meta = excluded.meta, lengths = excluded.lengths${dims ? ', embedding = excluded.embedding' : ''}`,
        [
          ids,
          records.map((r) => r.record.text),
          records.map((r) => (r.record.fields ? JSON.stringify(r.record.fields) : null)),
          records.map((r) => JSON.stringify(r.record.meta ?? {})),
          records.map((r) => `{${r.lengths.join(',')}}`),
          ...(dims ? [records.map((r) => (r.record.vector ? vectorLiteral(r.record.vector) : null))] : []),
        ],
      );
      await this.query(`DELETE FROM ${this.postings} WHERE id = ANY($1::text[])`, [ids]);
    } else {
      await this.query(`UPDATE ${this.table} r SET lengths = u.lengths::float8[] FROM unnest($1::text[], $2::text[]) AS u(id, lengths) WHERE r.id = u.id`, [ids, records.map((r) => `{${r.lengths.join(',')}}`)]);
    }
    await this.query(`INSERT INTO ${this.postings} (term, id, field, tf) SELECT * FROM unnest($1::text[], $2::text[], $3::int2[], $4::float8[])`, [
      records.flatMap((r) => r.terms),
      records.flatMap((r) => r.terms.map(() => r.id)),
      records.flatMap((r) => r.fields),
      records.flatMap((r) => r.tfs),
    ]);
    const added = this.sumLengths(records.map((r) => r.lengths), 1);
    const removed = this.sumLengths([...previous.values()], -1);
    await this.updateStats(records.length - previous.size, added.map((value, f) => value + (removed[f] as number)));
  }

  /** Deletes locked records (`previous`: their field lengths) with their postings and statistics. */
  private async deleteLocked(ids: string[], previous: Map<string, number[]>): Promise<void> {
    await this.query(`DELETE FROM ${this.postings} WHERE id = ANY($1::text[])`, [ids]);
    await this.query(`DELETE FROM ${this.table} WHERE id = ANY($1::text[])`, [ids]);
    await this.updateStats(-previous.size, this.sumLengths([...previous.values()], -1));
  }

  /** The columns get() and records() read. */
  private get columns(): string {
    return `id, text, fields, meta${this.options.dimensions ? ', embedding::text AS embedding' : ''}`;
  }

  /** Locks the given records and returns their field lengths (absent ids are not in the map). */
  private async lockLengths(ids: string[]): Promise<Map<string, number[]>> {
    const { rows } = await this.query(`SELECT id, lengths FROM ${this.table} WHERE id = ANY($1::text[]) FOR UPDATE`, [ids]);
    return new Map((rows as { id: string; lengths: number[] }[]).map((r) => [r.id, r.lengths.map(Number)]));
  }

  private sumLengths(lengths: number[][], sign: number): number[] {
    return this.fieldNames.map((_, f) => sign * lengths.reduce((sum, l) => sum + (l[f] ?? 0), 0));
  }

  private async updateStats(documents: number, lengths: number[]): Promise<void> {
    const sums = lengths.map((_, f) => `lengths[${f + 1}] + ($2::float8[])[${f + 1}]`).join(', ');
    await this.query(`UPDATE ${this.stats} SET documents = documents + $1, lengths = ARRAY[${sums}]`, [documents, lengths]);
  }

  private validate(record: StoreRecord): StoreRecord {
    const valid = validateRecord(record, this.declaredFields);
    if (valid.vector !== undefined) {
      if (this.options.dimensions === undefined) throw new ChunkwiseError('UNSUPPORTED', `Record "${valid.id}" has a vector, but the store was opened without \`dimensions\`.`);
      prepareVector(valid.vector, this.options.dimensions, this.metric, `Vector of record "${valid.id}"`);
    }
    return valid;
  }

  private async transaction<T>(fn: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
    await this.query(begin);
    try {
      const result = await fn();
      await this.query('COMMIT');
      return result;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> {
    try {
      return await this.client.query(text, params);
    } catch (error) {
      if (error instanceof ChunkwiseError) throw error;
      throw new ChunkwiseError('STORE', `Postgres query failed: ${(error as Error).message}`, { cause: error });
    }
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
  if (row.embedding) record.vector = Float32Array.from(JSON.parse(row.embedding) as number[]);
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
