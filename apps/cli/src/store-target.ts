import { existsSync } from 'node:fs';
import { ChunkwiseError, isChunkwiseError } from '@chunkwise/core';
import type { Store } from '@chunkwise/retrieval';
import { SqliteStore } from '@chunkwise/retrieval/sqlite';

/** A store the CLI opened from a `--db` value, and how to let go of it. */
export interface StoreTarget {
  store: Store;
  kind: 'sqlite' | 'postgres';
  /** The `--db` value with any password replaced by `***`, for messages. */
  label: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Create a SQLite file that does not exist yet (index, migrate); otherwise NOT_FOUND. */
  create: boolean;
  /** Table of a Postgres target (default chunkwise_records). */
  table?: string;
  /** The command a missing SQLite file needs, for the NOT_FOUND message. */
  missingHint?: string;
}

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

export function isPostgresUrl(db: string): boolean {
  return POSTGRES_URL.test(db);
}

/** `--db` in messages: a URL's password is never printed. */
export function redactDb(db: string): string {
  if (!isPostgresUrl(db)) return db;
  try {
    const url = new URL(db);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return db.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/**
 * Opens the store a `--db` value names: `postgres://…` (or `postgresql://…`) is a PostgresStore on
 * one `pg` connection, anything else a SQLite file. A SQLite file that SQLite or the store reports
 * damaged is refused with CORRUPT_DATA pointing at `chunkwise doctor`, before anything is written.
 */
export async function openStoreTarget(db: string, options: OpenStoreOptions): Promise<StoreTarget> {
  const label = redactDb(db);
  if (isPostgresUrl(db)) return openPostgres(db, label, options);
  if (!options.create && !existsSync(db)) {
    throw new ChunkwiseError('NOT_FOUND', `No index at ${db}${options.missingHint ? `; ${options.missingHint}` : ''}.`);
  }
  let store: SqliteStore;
  try {
    store = SqliteStore.open(db);
  } catch (error) {
    throw pointAtDoctor(error, db);
  }
  return { store, kind: 'sqlite', label, close: () => store.close() };
}

/**
 * A CORRUPT_DATA error from a SQLite index, with the way forward: `chunkwise doctor` says what is
 * damaged and copies what is intact. Other errors pass through unchanged.
 */
export function pointAtDoctor(error: unknown, db: string): unknown {
  if (!isChunkwiseError(error, 'CORRUPT_DATA') || isPostgresUrl(db) || error.message.includes('chunkwise doctor')) return error;
  return new ChunkwiseError('CORRUPT_DATA', `${error.message} Nothing more was written; check the file with \`chunkwise doctor --db ${db}\`.`, { cause: error });
}

async function openPostgres(url: string, label: string, options: OpenStoreOptions): Promise<StoreTarget> {
  // Loaded only for a Postgres target, so SQLite users never load the driver.
  const [{ default: pg }, { PostgresStore }] = await Promise.all([import('pg'), import('@chunkwise/retrieval/postgres')]);
  const client = new pg.Client({ connectionString: url });
  // A dropped connection is reported by the next query; without a listener it would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new ChunkwiseError('STORE', `Cannot connect to ${label}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const store = await PostgresStore.open(client, options.table === undefined ? {} : { table: options.table });
    return {
      store,
      kind: 'postgres',
      label,
      close: async () => {
        await store.close();
        await client.end();
      },
    };
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}
