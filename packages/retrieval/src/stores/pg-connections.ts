import { ChunkwiseError } from '@chunkwise/core';

/**
 * Anything with `query(text, params)` resolving to `{ rows }`: a `pg.Client`, a checked-out
 * `pg.PoolClient`, or a PGlite instance: one connection.
 */
export interface PgQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A `pg.Pool` (or anything whose `connect()` checks out a client that has `release()`). */
export interface PgPool {
  connect(): Promise<PgQueryable & { release(destroy?: boolean | Error): void }>;
  readonly totalCount: number;
}

/** SQLSTATEs after which Postgres asks the client to run the transaction again. */
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const MAX_ATTEMPTS = 8;

export function isPgPool(value: unknown): value is PgPool {
  return value !== null && typeof value === 'object' && typeof (value as Partial<PgPool>).connect === 'function' && typeof (value as Partial<PgPool>).totalCount === 'number';
}

/**
 * Gives each store operation a connection of its own for its whole duration. One connection
 * (a `pg.Client`, PGlite) is shared in turn: a BEGIN … COMMIT from one call must never interleave
 * with another call's statements, so calls queue, in the order they were made. A pool checks out
 * one client per operation, so operations run in parallel up to the pool's size.
 */
export class PgConnections {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly source: PgQueryable | PgPool) {}

  /** Runs `fn` with exclusive use of one connection. */
  use<T>(fn: (connection: PgQueryable) => Promise<T>): Promise<T> {
    if (isPgPool(this.source)) return this.checkedOut(this.source, fn);
    const connection = this.source;
    const run = this.tail.then(() => fn(connection));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs `fn` in a transaction, again (up to 8 attempts, with a short random wait) when Postgres
   * aborts it for a deadlock or a serialization failure: `fn` must read what it needs inside the
   * transaction, so a second run sees the other transaction's outcome.
   */
  transaction<T>(fn: (connection: PgQueryable) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    return this.use(async (connection) => {
      for (let attempt = 1; ; attempt++) {
        await connection.query(begin);
        try {
          const result = await fn(connection);
          await connection.query('COMMIT');
          return result;
        } catch (error) {
          await connection.query('ROLLBACK').catch(() => undefined);
          if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(sqlState(error) ?? '')) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        }
      }
    });
  }

  private async checkedOut<T>(pool: PgPool, fn: (connection: PgQueryable) => Promise<T>): Promise<T> {
    let client: Awaited<ReturnType<PgPool['connect']>>;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new ChunkwiseError('STORE', `Could not get a Postgres connection from the pool: ${(error as Error).message}`, { cause: error });
    }
    try {
      const result = await fn(client);
      client.release();
      return result;
    } catch (error) {
      // A driver error may have broken the connection: let the pool replace it. After our own
      // errors (NOT_FOUND, INVALID_ARGUMENT…) the transaction was rolled back and it is fine.
      client.release(!(error instanceof ChunkwiseError) || error.code === 'STORE');
      throw error;
    }
  }
}

/** The SQLSTATE of a driver error, also when it is wrapped as a ChunkwiseError's cause. */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (!(e instanceof ChunkwiseError) && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}
