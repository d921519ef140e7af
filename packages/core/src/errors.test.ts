import { describe, expect, it } from 'vitest';
import { ChunkwiseError, isChunkwiseError, throwIfAborted } from './errors.js';

describe('ChunkwiseError', () => {
  it('carries a code, a message, details and a cause', () => {
    const cause = new Error('disk full');
    const error = new ChunkwiseError('STORE', 'Could not write the index.', { cause, details: { path: 'x.db' } });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ChunkwiseError');
    expect(error.code).toBe('STORE');
    expect(error.message).toBe('Could not write the index.');
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ path: 'x.db' });
    expect(String(error)).toBe('ChunkwiseError: Could not write the index.');
  });

  it('is recognised by isChunkwiseError, with or without a code', () => {
    const error = new ChunkwiseError('LIMIT_EXCEEDED', 'too long');
    expect(isChunkwiseError(error)).toBe(true);
    expect(isChunkwiseError(error, 'LIMIT_EXCEEDED')).toBe(true);
    expect(isChunkwiseError(error, 'UPSTREAM')).toBe(false);
    expect(isChunkwiseError(new Error('x'))).toBe(false);
    expect(isChunkwiseError(null)).toBe(false);
    // A copy from a second installed version of core is still recognised.
    expect(isChunkwiseError({ name: 'ChunkwiseError', code: 'UPSTREAM', message: '' }, 'UPSTREAM')).toBe(true);
  });
});

describe('throwIfAborted', () => {
  it('does nothing without a signal or before abort', () => {
    expect(() => throwIfAborted(undefined)).not.toThrow();
    expect(() => throwIfAborted(new AbortController().signal)).not.toThrow();
  });

  it('throws ABORTED with the abort reason as cause', () => {
    const controller = new AbortController();
    controller.abort('user pressed stop');
    try {
      throwIfAborted(controller.signal);
      expect.unreachable();
    } catch (error) {
      expect(isChunkwiseError(error, 'ABORTED')).toBe(true);
      expect((error as Error).cause).toBe('user pressed stop');
    }
  });
});
