import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ChunkwiseError, isChunkwiseError } from '@chunkwise/core';
import type { Store } from '@chunkwise/retrieval';
import { SqliteStore } from '@chunkwise/retrieval/sqlite';

/**
 * Named values kept with an index beside its records (the embedder an index was built with and its
 * fitted state): a `chunkwise_settings` table in the SQLite file, `<table>_settings` in Postgres.
 * Records, BM25 statistics and searches never see them.
 */
export interface IndexSettings {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  /**
   * Sets `name` only if the index has no value for it yet (one atomic insert-if-absent, so two
   * processes racing to be first never both win), and returns the value the index now holds.
   */
  add(name: string, value: string): Promise<string>;
}

/** A store the CLI opened from a `--db` value, and how to let go of it. */
export interface StoreTarget {
  store: Store;
  kind: 'sqlite' | 'postgres';
  /** The `--db` value with any password replaced by `***`, for messages. */
  label: string;
  settings: IndexSettings;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Create a SQLite file that does not exist yet (index, migrate); otherwise NOT_FOUND. */
  create: boolean;
  /** Table of a Postgres target (default chunkwise_records). */
  table?: string;
  /** The command a missing SQLite file needs, for the NOT_FOUND message. */
  missingHint?: string;
  /**
   * Width of the vectors to store (an embedder's). Postgres needs it to open its vector column; an
   * index that recorded its embedder opens with the recorded width whatever this says.
   */
  dimensions?: number;
}

/** The setting under which an index records its embedder (see index-embedder.ts). */
export const EMBEDDER_SETTING = 'embedder';

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
  const settings = sqliteSettings(db);
  return {
    store,
    kind: 'sqlite',
    label,
    settings,
    close: async () => {
      settings.close();
      await store.close();
    },
  };
}

const SQLITE_SETTINGS = 'chunkwise_settings';

/**
 * The settings table of a SQLite index, on a connection of its own opened at first use (after the
 * store created or checked the file, so the store's schema check never sees a foreign table first).
 */
function sqliteSettings(path: string): IndexSettings & { close(): void } {
  let db: Database.Database | undefined;
  const open = () => {
    if (!db) {
      db = new Database(path);
      db.pragma('busy_timeout = 5000');
    }
    return db;
  };
  const exists = (connection: Database.Database) => connection.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(SQLITE_SETTINGS) !== undefined;
  return {
    get(name) {
      const connection = open();
      if (!exists(connection)) return Promise.resolve(undefined);
      const row = connection.prepare(`SELECT value FROM ${SQLITE_SETTINGS} WHERE name = ?`).get(name) as { value: string } | undefined;
      return Promise.resolve(row?.value);
    },
    set(name, value) {
      const connection = open();
      connection.exec(`CREATE TABLE IF NOT EXISTS ${SQLITE_SETTINGS} (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`);
      connection.prepare(`INSERT INTO ${SQLITE_SETTINGS} (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(name, value);
      return Promise.resolve();
    },
    add(name, value) {
      const connection = open();
      connection.exec(`CREATE TABLE IF NOT EXISTS ${SQLITE_SETTINGS} (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`);
      const row = connection.prepare(`INSERT INTO ${SQLITE_SETTINGS} (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value RETURNING value`).get(name, value) as { value: string };
      return Promise.resolve(row.value);
    },
    close() {
      db?.close();
      db = undefined;
    },
  };
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
    const settings = postgresSettings(client, options.table ?? 'chunkwise_records');
    // The vector column's width is part of the table: the recorded embedder's, else the caller's.
    const dimensions = recordedDimensions(await settings.get(EMBEDDER_SETTING)) ?? options.dimensions;
    const vectors = dimensions === undefined ? {} : { dimensions, vectorType: await vectorTypeOf(client, options.table ?? 'chunkwise_records') };
    const store = await PostgresStore.open(client, { ...(options.table === undefined ? {} : { table: options.table }), ...vectors });
    return {
      store,
      kind: 'postgres',
      label,
      settings,
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

export interface PgQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * `"schema"."name_suffix"` for a table name PostgresStore accepts, else undefined: PostgresStore.open
 * reports a bad name in its own words.
 */
function quotedTable(table: string, suffix = ''): string | undefined {
  const parts = table.split('.');
  if (parts.length > 2 || !parts.every((part) => /^[A-Za-z_][A-Za-z0-9_]{0,50}$/.test(part))) return undefined;
  parts[parts.length - 1] += suffix;
  return parts.map((part) => `"${part}"`).join('.');
}

/** The settings table of a Postgres index (`<table>_settings`), on a client or a pool. */
export function postgresSettings(client: PgQueryable, table: string): IndexSettings {
  const name = quotedTable(table, '_settings');
  const create = async () => {
    if (name === undefined) throw new ChunkwiseError('INVALID_ARGUMENT', `Table name ${JSON.stringify(table)} must be an identifier or schema.identifier.`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${name} (name text PRIMARY KEY, value text NOT NULL)`).catch(async (error: unknown) => {
      // Two sessions creating the table at once: despite IF NOT EXISTS the loser can meet a unique
      // violation in the catalog, "type already exists" or "relation already exists". The winner
      // committed the table: go on with it; any other failure stands.
      const { rows } = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
      if (!(rows[0] as { present: boolean }).present) throw error;
    });
    return name;
  };
  return {
    async get(key) {
      if (name === undefined) return undefined;
      const { rows: found } = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
      if (!(found[0] as { present: boolean }).present) return undefined;
      const { rows } = await client.query(`SELECT value FROM ${name} WHERE name = $1`, [key]);
      return (rows[0] as { value: string } | undefined)?.value;
    },
    async set(key, value) {
      const table = await create();
      await client.query(`INSERT INTO ${table} (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, [key, value]);
    },
    async add(key, value) {
      const table = await create();
      // A no-op update locks and returns the row a concurrent first insert committed.
      const { rows } = await client.query(`INSERT INTO ${table} AS s (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = s.value RETURNING value`, [key, value]);
      return (rows[0] as { value: string }).value;
    },
  };
}

/**
 * The settings of the index a `--db` value names, without opening its store (which would create
 * its tables): for checks made before any worker runs. A SQLite file that does not exist has none.
 */
export async function openIndexSettings(db: string, table: string | undefined): Promise<{ settings: IndexSettings; label: string; close(): Promise<void> }> {
  const label = redactDb(db);
  if (!isPostgresUrl(db)) {
    if (!existsSync(db)) {
      const none = () => Promise.reject(new ChunkwiseError('NOT_FOUND', `No index at ${db}.`));
      return { settings: { get: () => Promise.resolve(undefined), set: none, add: none }, label, close: () => Promise.resolve() };
    }
    const settings = sqliteSettings(db);
    return { settings, label, close: () => Promise.resolve(settings.close()) };
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: db });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new ChunkwiseError('STORE', `Cannot connect to ${label}: ${(error as Error).message}`, { cause: error });
  }
  return { settings: postgresSettings(client, table ?? 'chunkwise_records'), label, close: () => client.end() };
}

/** The vector width an index's embedder record names, if it has a readable one. */
function recordedDimensions(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    const dimensions = (JSON.parse(value) as { dimensions?: unknown }).dimensions;
    return Number.isInteger(dimensions) ? (dimensions as number) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * pgvector where the server has it, else a `real[]` column (Debian's PostgreSQL 15 ships no
 * pgvector); an existing table keeps the kind it has.
 */
export async function vectorTypeOf(client: PgQueryable, table: string): Promise<'pgvector' | 'array'> {
  const { rows: extension } = await client.query("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available");
  const { available } = extension[0] as { available: boolean };
  const quoted = quotedTable(table);
  // A table name PostgresStore refuses is reported by PostgresStore.open, right after this.
  if (quoted === undefined) return available ? 'pgvector' : 'array';
  const { rows } = await client.query(
    "SELECT format_type(atttypid, atttypmod) AS existing FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'embedding' AND NOT attisdropped",
    [quoted],
  );
  const existing = (rows[0] as { existing: string } | undefined)?.existing ?? null;
  if (existing !== null) return existing.startsWith('vector') ? 'pgvector' : 'array';
  return available ? 'pgvector' : 'array';
}
