import { ChunkwiseError } from '@chunkwise/core';
import type { ScoredId } from '../bm25/top-k-heap.js';
import { simpleAnalyzer } from '../analyzers/simple.js';
import { prepareVector, type Metric } from '../vector/metric.js';
import type { RecordMeta, Store, StoredRecord, StoreRecord, StoreSearchOptions } from './store.js';

/**
 * Anything with `query(text, params)` resolving to `{ rows }`: a `pg.Client`, a checked-out
 * `pg.PoolClient`, or a PGlite instance. It must be one connection, since writes run as
 * BEGIN … COMMIT on it (a `pg.Pool` would spread them over several connections).
 */
export interface PgQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface PostgresStoreOptions {
  /** Table name, optionally schema-qualified (`rag.chunks`); default `chunkwise_records`. */
  table?: string;
  /** Enables the pgvector column and its HNSW index; needs the `vector` extension. */
  dimensions?: number;
  /** Default 'cosine'. */
  metric?: Metric;
  /** Postgres text search configuration; default 'english'. */
  textSearchConfig?: string;
  /** pgvector HNSW parameters: m (default 16) and ef_construction (default 64). */
  hnsw?: { m?: number; efConstruction?: number };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A Store in PostgreSQL: full-text search over a GIN-indexed tsvector and, when `dimensions` is
 * set, pgvector with an HNSW index. The same interface as the memory and SQLite stores, so an
 * application that outgrows one machine moves to managed or sharded Postgres without code changes.
 * Lexical scores are Postgres's `ts_rank` (not BM25): rankings are close to, not identical with,
 * the in-memory stores'. Call `PostgresStore.open()`; it creates the table and indexes if missing.
 */
export class PostgresStore implements Store {
  private readonly table: string;
  private readonly metric: Metric;
  private readonly config: string;

  private constructor(
    private readonly client: PgQueryable,
    private readonly options: PostgresStoreOptions,
  ) {
    const parts = (options.table ?? 'chunkwise_records').split('.');
    if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Table name ${JSON.stringify(options.table)} must be an identifier or schema.identifier (letters, digits, _).`);
    }
    this.table = parts.map((p) => `"${p}"`).join('.');
    this.metric = options.metric ?? 'cosine';
    this.config = options.textSearchConfig ?? 'english';
    if (!IDENTIFIER.test(this.config)) throw new ChunkwiseError('INVALID_ARGUMENT', `textSearchConfig ${JSON.stringify(this.config)} is not a valid configuration name.`);
    if (options.dimensions !== undefined && (!Number.isInteger(options.dimensions) || options.dimensions < 1 || options.dimensions > 16000)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `dimensions must be an integer between 1 and 16000 (pgvector's limit), got ${options.dimensions}.`);
    }
  }

  static async open(client: PgQueryable, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(client, options);
    await store.migrate();
    return store;
  }

  async upsert(records: Iterable<StoreRecord>): Promise<void> {
    const valid = [...records].map((r) => this.validate(r));
    await this.transaction(async () => {
      for (const r of valid) {
        const searchable = [r.text, ...Object.values(r.fields ?? {})].join(' ');
        await this.query(
          `INSERT INTO ${this.table} (id, text, fields, meta, tsv${this.options.dimensions ? ', embedding' : ''})
           VALUES ($1, $2, $3::jsonb, $4::jsonb, to_tsvector('${this.config}', $5)${this.options.dimensions ? ', $6::vector' : ''})
           ON CONFLICT (id) DO UPDATE SET text = excluded.text, fields = excluded.fields, meta = excluded.meta, tsv = excluded.tsv${this.options.dimensions ? ', embedding = excluded.embedding' : ''}`,
          [r.id, r.text, r.fields ? JSON.stringify(r.fields) : null, JSON.stringify(r.meta ?? {}), searchable, ...(this.options.dimensions ? [r.vector ? vectorLiteral(r.vector) : null] : [])],
        );
      }
    });
  }

  async delete(ids: readonly string[]): Promise<void> {
    await this.transaction(async () => {
      const { rows } = await this.query(`SELECT id FROM ${this.table} WHERE id = ANY($1::text[])`, [[...new Set(ids)]]);
      const found = new Set((rows as { id: string }[]).map((r) => r.id));
      const missing = ids.find((id) => !found.has(id));
      if (missing !== undefined) throw new ChunkwiseError('NOT_FOUND', `No record with id "${missing}" to delete; nothing was deleted.`, { details: { id: missing } });
      await this.query(`DELETE FROM ${this.table} WHERE id = ANY($1::text[])`, [[...found]]);
    });
  }

  async get(id: string): Promise<StoredRecord | undefined> {
    const { rows } = await this.query(`SELECT id, text, fields, meta${this.options.dimensions ? ', embedding::text AS embedding' : ''} FROM ${this.table} WHERE id = $1`, [id]);
    const row = rows[0] as { id: string; text: string; fields: Record<string, string> | null; meta: RecordMeta; embedding?: string | null } | undefined;
    if (!row) return undefined;
    const record: StoredRecord = { id: row.id, text: row.text };
    if (row.fields) record.fields = row.fields;
    if (row.meta && Object.keys(row.meta).length > 0) record.meta = row.meta;
    if (row.embedding) record.vector = Float32Array.from(JSON.parse(row.embedding) as number[]);
    return record;
  }

  async count(): Promise<number> {
    const { rows } = await this.query(`SELECT count(*)::int AS n FROM ${this.table}`);
    return (rows[0] as { n: number }).n;
  }

  async searchText(query: string, options: StoreSearchOptions = {}): Promise<ScoredId[]> {
    const k = checkK(options.k);
    // The simple analyzer's tokens are letters and digits only, so they are safe tsquery operands;
    // OR-ing them mirrors BM25's "any term may match" instead of websearch's AND.
    const tokens = simpleAnalyzer(typeof query === 'string' ? query : '');
    if (tokens.length === 0) throw new ChunkwiseError('INVALID_ARGUMENT', `The query ${JSON.stringify(String(query).slice(0, 80))} has no searchable terms.`);
    const { rows } = await this.query(
      `SELECT id, ts_rank(tsv, q)::float8 AS score FROM ${this.table}, to_tsquery('${this.config}', $1) q
       WHERE tsv @@ q AND meta @> $2::jsonb ORDER BY score DESC, id ASC LIMIT $3`,
      [[...new Set(tokens)].join(' | '), JSON.stringify(options.filter ?? {}), k],
    );
    return (rows as { id: string; score: number }[]).map((r) => ({ id: r.id, score: Number(r.score) }));
  }

  async searchVector(vector: ArrayLike<number>, options: StoreSearchOptions = {}): Promise<ScoredId[]> {
    const k = checkK(options.k);
    const dimensions = this.options.dimensions;
    if (dimensions === undefined) throw new ChunkwiseError('UNSUPPORTED', 'This PostgresStore was opened without `dimensions`, so it has no vector column.');
    prepareVector(vector, dimensions, this.metric, 'The query vector');
    const operator = this.metric === 'cosine' ? '<=>' : this.metric === 'dot' ? '<#>' : '<->';
    const { rows } = await this.query(
      `SELECT id, (embedding ${operator} $1::vector)::float8 AS distance FROM ${this.table}
       WHERE embedding IS NOT NULL AND meta @> $2::jsonb ORDER BY embedding ${operator} $1::vector, id LIMIT $3`,
      [vectorLiteral(vector), JSON.stringify(options.filter ?? {}), k],
    );
    // Turn pgvector distances back into higher-is-better scores matching VectorIndex.
    return (rows as { id: string; distance: number }[]).map((r) => {
      const d = Number(r.distance);
      return { id: r.id, score: this.metric === 'cosine' ? 1 - d : -d };
    });
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
      `CREATE TABLE IF NOT EXISTS ${this.table} (id text PRIMARY KEY, text text NOT NULL, fields jsonb, meta jsonb NOT NULL DEFAULT '{}', tsv tsvector NOT NULL${dims ? `, embedding vector(${dims})` : ''})`,
    );
    await this.query(`CREATE INDEX IF NOT EXISTS ${indexName('tsv')} ON ${this.table} USING gin (tsv)`);
    if (dims) {
      const ops = this.metric === 'cosine' ? 'vector_cosine_ops' : this.metric === 'dot' ? 'vector_ip_ops' : 'vector_l2_ops';
      const { m = 16, efConstruction = 64 } = this.options.hnsw ?? {};
      if (!Number.isInteger(m) || !Number.isInteger(efConstruction)) throw new ChunkwiseError('INVALID_ARGUMENT', 'hnsw.m and hnsw.efConstruction must be integers.');
      await this.query(`CREATE INDEX IF NOT EXISTS ${indexName('hnsw')} ON ${this.table} USING hnsw (embedding ${ops}) WITH (m = ${m}, ef_construction = ${efConstruction})`);
    }
  }

  private validate(record: StoreRecord): StoreRecord {
    if (record === null || typeof record !== 'object' || typeof record.id !== 'string' || record.id === '') {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'A record needs a non-empty string id.');
    }
    if (typeof record.text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Record "${record.id}" needs a text string.`);
    const all = [record.text, ...Object.values(record.fields ?? {})];
    if (all.every((t) => simpleAnalyzer(t).length === 0)) throw new ChunkwiseError('INVALID_ARGUMENT', `Record "${record.id}" is empty: it has no terms after analysis.`);
    if (record.vector !== undefined) {
      if (this.options.dimensions === undefined) throw new ChunkwiseError('UNSUPPORTED', `Record "${record.id}" has a vector, but the store was opened without \`dimensions\`.`);
      prepareVector(record.vector, this.options.dimensions, this.metric, `Vector of record "${record.id}"`);
    }
    return record;
  }

  private async transaction(fn: () => Promise<void>): Promise<void> {
    await this.query('BEGIN');
    try {
      await fn();
      await this.query('COMMIT');
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

function vectorLiteral(vector: ArrayLike<number>): string {
  return `[${Array.from(vector).join(',')}]`;
}

function checkK(k: number | undefined): number {
  const value = k ?? 10;
  if (!Number.isInteger(value) || value < 1) throw new ChunkwiseError('INVALID_ARGUMENT', `k must be a positive integer, got ${value}.`);
  return value;
}
