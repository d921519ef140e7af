import { ChunkwiseError } from '@chunkwise/core';
import type { Store } from '@chunkwise/retrieval';
import { UsageError } from '../errors.js';
import { isPostgresUrl, openStoreTarget, postgresSettings, redactDb, vectorTypeOf, type IndexSettings } from '../store-target.js';

/** The index a worker writes: its settings first (the embedder record), then its store. */
export interface IngestIndex {
  label: string;
  kind: 'sqlite' | 'postgres';
  settings: IndexSettings;
  /** Opens the store; with `dimensions` (the embedder's) it keeps a vector per chunk. */
  open(dimensions: number | undefined): Promise<Store>;
  close(): Promise<void>;
}

export interface IngestIndexOptions {
  table?: string;
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
 * Opens the index for ingest. Postgres: a `pg.Pool` (concurrent jobs write in parallel) that also
 * reads and writes the index's settings, and with an embedder a vector column: pgvector where the
 * server has it, else a `real[]` column (Debian's PostgreSQL 15 ships no pgvector); an existing
 * table keeps the kind it has.
 */
export async function openIngestIndex(db: string, options: IngestIndexOptions): Promise<IngestIndex> {
  const table = options.table;
  if (!isPostgresUrl(db)) {
    const target = await openStoreTarget(db, { create: true, ...(table === undefined ? {} : { table }) });
    return {
      label: target.label,
      kind: 'sqlite',
      settings: target.settings,
      open(dimensions) {
        if (dimensions !== undefined) return Promise.reject(new UsageError('a SQLite --db with an embedder is not supported by workers yet; use a postgres:// index.'));
        return Promise.resolve(target.store);
      },
      close: () => target.close(),
    };
  }
  const label = redactDb(db);
  const [{ default: pg }, { PostgresStore }] = await Promise.all([import('pg'), import('@chunkwise/retrieval/postgres')]);
  const pool = new pg.Pool({ connectionString: db, max: Math.max(2, options.connections + 1) });
  // A dropped connection is reported by the next query; without a listener it would crash the process.
  pool.on('error', () => {});
  const failed = (error: unknown) => (error instanceof ChunkwiseError ? error : new ChunkwiseError('STORE', `Cannot open ${label}: ${(error as Error).message}`, { cause: error }));
  return {
    label,
    kind: 'postgres',
    settings: postgresSettings(pool, table ?? 'chunkwise_records'),
    async open(dimensions) {
      try {
        const vectorType = dimensions === undefined ? undefined : await vectorTypeOf(pool, table ?? 'chunkwise_records');
        return await PostgresStore.open(pool, {
          ...(table === undefined ? {} : { table }),
          ...(dimensions !== undefined && { dimensions }),
          ...(vectorType !== undefined && { vectorType }),
        });
      } catch (error) {
        throw failed(error);
      }
    },
    close: () => pool.end(),
  };
}
