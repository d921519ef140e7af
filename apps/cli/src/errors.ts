import { isChunkwiseError } from '@chunkwise/core';

/** Exit codes of the chunkwise command. */
export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called: exits with 2 and prints the usage hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One readable line for any thrown value: `[CODE] message` for ChunkwiseErrors. */
export function describeError(error: unknown): string {
  if (isChunkwiseError(error)) return `[${error.code}] ${error.message}`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `[${code}] ${error.message}` : error.message;
  }
  return String(error);
}
