/**
 * Every error Chunkwise throws on purpose carries one of these codes, so callers can branch on
 * `err.code` instead of parsing messages.
 */
export type ChunkwiseErrorCode =
  /** An argument is out of range or of the wrong shape; the message says which and why. */
  | 'INVALID_ARGUMENT'
  /** A hard limit (tokens, bytes, budget) would be exceeded. */
  | 'LIMIT_EXCEEDED'
  /** Text contains a special token that the caller did not allow. */
  | 'DISALLOWED_SPECIAL'
  /** A token id, document id or key does not exist. */
  | 'NOT_FOUND'
  /** A vector's dimension differs from the index's. */
  | 'DIMENSION_MISMATCH'
  /** Stored data is damaged, foreign or from an incompatible version. */
  | 'CORRUPT_DATA'
  /** A store (SQLite, Redis, Postgres) failed; `cause` holds the driver's error. */
  | 'STORE'
  /** A remote service answered with an error or a malformed response. */
  | 'UPSTREAM'
  /** An operation took longer than its deadline. */
  | 'TIMEOUT'
  /** The caller's AbortSignal fired. */
  | 'ABORTED'
  /** The feature is not available in this environment or for this input. */
  | 'UNSUPPORTED';

export interface ChunkwiseErrorOptions {
  cause?: unknown;
  /** Structured facts about the failure (limits, ids, HTTP status…), safe to log. */
  details?: Record<string, unknown>;
}

/** The one error class Chunkwise throws deliberately. */
export class ChunkwiseError extends Error {
  override readonly name = 'ChunkwiseError';
  readonly code: ChunkwiseErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ChunkwiseErrorCode, message: string, options: ChunkwiseErrorOptions = {}) {
    // An error class must not throw while reporting one: odd arguments are kept as far as they can be.
    super(typeof message === 'string' ? message : safeString(message), causeOf(options));
    this.code = typeof code === 'string' ? code : 'INVALID_ARGUMENT';
    const details = isObject(options) ? options.details : undefined;
    this.details = isObject(details) ? details : undefined;
  }

}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function causeOf(options: unknown): { cause: unknown } | undefined {
  const cause = isObject(options) ? options.cause : undefined;
  return cause === undefined ? undefined : { cause };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** True for a ChunkwiseError, optionally with the given code. Works across duplicated package copies. */
export function isChunkwiseError(value: unknown, code?: ChunkwiseErrorCode): value is ChunkwiseError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown };
  if (candidate.name !== 'ChunkwiseError' || typeof candidate.code !== 'string') return false;
  return code === undefined || candidate.code === code;
}

/** Throws `ChunkwiseError('ABORTED')` when the signal has fired; call it between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new ChunkwiseError('ABORTED', 'The operation was aborted by its AbortSignal.', { cause: signal.reason });
  }
}
