import { ChunkwiseError } from '@chunkwise/core';
import type { Store } from '@chunkwise/retrieval';
import { UsageError } from '../errors.js';
import { isPostgresUrl, openStoreTarget, redactDb } from '../store-target.js';

/** The index a worker writes. */
export interface IngestStore {
  store: Store;
  label: string;
  close(): Promise<void>;
}

export interface IngestStoreOptions {
  table?: string;
  /** The embedder's dimensions: the store then keeps a vector per chunk. */
  dimensions?: number;
  /** Connections a worker may use at once (its job concurrency). */
  connections: number;
}

/**
 * Which index a queue's jobs belong to: the database name and table of a postgres:// URL (the same
 * from every machine, whatever host name each uses), so a worker never writes another index's jobs.
 */
export function indexIdentity(db: string, table: string | undefined): string {
  if (!isPostgresUrl(db)) return `sqlite:${db}`;
  let database: string;
  try {
    database = decodeURIComponent(new URL(db).pathname.replace(/^\//, ''));
  } catch {
    throw new UsageError(`--db ${redactDb(db)} is not a valid postgres:// URL.`);
  }
  return `postgres:${database}/${table ?? 'chunkwise_records'}`;
}

/**
 * Opens the index for ingest. Postgres: a `pg.Pool` (concurrent jobs write in parallel), and with
 * an embedder a vector column: pgvector where the server has it, else a `real[]` column (Debian's
 * PostgreSQL 15 ships no pgvector); an existing table keeps the kind it has.
 */
export async function openIngestStore(db: string, options: IngestStoreOptions): Promise<IngestStore> {
  const table = options.table;
  if (!isPostgresUrl(db)) {
    if (options.dimensions !== undefined) throw new UsageError('a SQLite --db with an embedder is not supported by workers yet; use a postgres:// index.');
    const target = await openStoreTarget(db, { create: true, ...(table === undefined ? {} : { table }) });
    return { store: target.store, label: target.label, close: () => target.close() };
  }
  const label = redactDb(db);
  const [{ default: pg }, { PostgresStore }] = await Promise.all([import('pg'), import('@chunkwise/retrieval/postgres')]);
  const pool = new pg.Pool({ connectionString: db, max: Math.max(2, options.connections + 1) });
  // A dropped connection is reported by the next query; without a listener it would crash the process.
  pool.on('error', () => {});
  try {
    const vectorType = options.dimensions === undefined ? undefined : await vectorTypeOf(pool, table ?? 'chunkwise_records');
    const store = await PostgresStore.open(pool, {
      ...(table === undefined ? {} : { table }),
      ...(options.dimensions !== undefined && { dimensions: options.dimensions }),
      ...(vectorType !== undefined && { vectorType }),
    });
    return { store, label, close: () => pool.end() };
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof ChunkwiseError) throw error;
    throw new ChunkwiseError('STORE', `Cannot open ${label}: ${(error as Error).message}`, { cause: error });
  }
}

async function vectorTypeOf(pool: { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> }, table: string): Promise<'pgvector' | 'array'> {
  const quoted = table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
  const { rows: extension } = await pool.query("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available");
  const { available } = extension[0] as { available: boolean };
  // A table name PostgresStore refuses is reported by PostgresStore.open, right after this.
  const { rows } = await pool
    .query("SELECT format_type(atttypid, atttypmod) AS existing FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'embedding' AND NOT attisdropped", [quoted])
    .catch(() => ({ rows: [] as unknown[] }));
  const existing = (rows[0] as { existing: string } | undefined)?.existing ?? null;
  if (existing !== null) return existing.startsWith('vector') ? 'pgvector' : 'array';
  return available ? 'pgvector' : 'array';
}
