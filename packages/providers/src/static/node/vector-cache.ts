import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ChunkwiseError, isChunkwiseError } from '@chunkwise/core';
import { show } from '../../argument-checks.js';
import { WordVectors } from '../word-vectors.js';
import { defaultCacheDir } from './cache-dir.js';

export interface VectorCacheOptions {
  /** Folder for converted tables (they go in its `vectors/` subfolder). Default: `defaultCacheDir()`. */
  cacheDir?: string | undefined;
  /** Keep the converted table on disk and reuse it. Default true; false converts in memory every time. */
  cache?: boolean | undefined;
}

/** Checks the cache options every loader shares. */
export function checkCacheOptions(options: VectorCacheOptions & { onProgress?: unknown; encoding?: unknown }): void {
  if (options.cacheDir !== undefined && (typeof options.cacheDir !== 'string' || options.cacheDir === '')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `cacheDir must be a folder path, got ${show(options.cacheDir)}.`);
  }
  if (options.cache !== undefined && typeof options.cache !== 'boolean') throw new ChunkwiseError('INVALID_ARGUMENT', `cache must be a boolean, got ${show(options.cache)}.`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', `onProgress must be a function, got ${show(options.onProgress)}.`);
  if (options.encoding !== undefined && options.encoding !== 'int8' && options.encoding !== 'float32') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `encoding must be 'int8' or 'float32', got ${show(options.encoding)}.`);
  }
}

/** Facts about a source file that change when it does, so an edited or upgraded source is converted again. */
export function sourceStamp(path: string): { path: string; size: number; mtimeMs: number } {
  if (typeof path !== 'string' || path === '') throw new ChunkwiseError('INVALID_ARGUMENT', `A vector file path must be a non-empty string, got ${show(path)}.`);
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ChunkwiseError('NOT_FOUND', `${path} is not a file.`, { details: { path } });
    return { path: resolve(path), size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) };
  } catch (cause) {
    if (isChunkwiseError(cause)) throw cause;
    throw new ChunkwiseError('NOT_FOUND', `No vector file at ${path}.`, { cause, details: { path } });
  }
}

/** `<cacheDir>/vectors/<name>-<hash of the key>.cwv`. */
export function cachePath(cacheDir: string, name: string, key: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
  return join(cacheDir, 'vectors', `${name}-${hash}.cwv`);
}

/**
 * The table cached under `key`, or `convert()`'s result written there first. A cached file that
 * fails its checksum is converted again (and replaced), never used. Writes go to a temporary file
 * in the same folder and are renamed into place, so a killed conversion never leaves half a table.
 */
export async function cachedTable(
  name: string,
  key: unknown,
  options: VectorCacheOptions,
  convert: () => Promise<Uint8Array>,
): Promise<{ vectors: WordVectors; path: string | undefined; converted: boolean }> {
  if (options.cache === false) return { vectors: WordVectors.fromBytes(await convert()), path: undefined, converted: true };
  const path = cachePath(options.cacheDir ?? defaultCacheDir(), name, key);
  let bytes: Uint8Array | undefined;
  try {
    bytes = readFileSync(path);
  } catch {
    bytes = undefined;
  }
  if (bytes !== undefined) {
    try {
      return { vectors: WordVectors.fromBytes(bytes), path, converted: false };
    } catch (error) {
      if (!isChunkwiseError(error, 'CORRUPT_DATA')) throw error;
      rmSync(path, { force: true });
    }
  }
  const fresh = await convert();
  const vectors = WordVectors.fromBytes(fresh);
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, fresh);
    renameSync(temporary, path);
  } catch (cause) {
    rmSync(temporary, { force: true });
    throw new ChunkwiseError('STORE', `Could not write the converted vectors to ${path}: ${(cause as Error).message}. Pass another cacheDir, or cache: false.`, {
      cause,
      details: { path },
    });
  }
  return { vectors, path, converted: true };
}
